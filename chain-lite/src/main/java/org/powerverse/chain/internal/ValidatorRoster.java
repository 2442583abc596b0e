package org.powerverse.chain.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.powerverse.chain.Address;
import org.powerverse.chain.StakedValidator;
import org.powerverse.chain.internal.consensus.ValidatorSet;

/**
 * The validators of the chain in index order (by address, as the staking storage lists them):
 * the index is what votes name, the Ed25519 key what they are checked with, the stake's whole
 * coins the voting and sortition weight.
 */
public record ValidatorRoster(List<StakedValidator> members) {

  public ValidatorRoster {
    members = members.stream().sorted(Comparator.comparing(v -> v.address().bytes(), Arrays::compareUnsigned)).toList();
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a validator roster has at least one validator");
    }
    for (StakedValidator v : members) {
      if (v.weight() < 1) {
        throw new IllegalArgumentException("validator " + v.address() + " stakes " + v.stake() + " wei, less than one coin");
      }
    }
  }

  public int size() {
    return members.size();
  }

  public ValidatorSet weights() {
    return new ValidatorSet(members.stream().map(StakedValidator::weight).toList());
  }

  public long totalWeight() {
    return members.stream().mapToLong(StakedValidator::weight).sum();
  }

  public long weight(int index) {
    return members.get(index).weight();
  }

  public boolean contains(int index) {
    return index >= 0 && index < members.size();
  }

  public byte[] publicKey(int index) {
    return members.get(index).vrfPublicKey().bytes();
  }

  public Address address(int index) {
    return members.get(index).address();
  }

  public List<byte[]> publicKeys() {
    return members.stream().map(v -> v.vrfPublicKey().bytes()).toList();
  }

  /** The index of the validator with this key, or -1. */
  public int indexOf(byte[] publicKey) {
    for (int i = 0; i < members.size(); i++) {
      if (Arrays.equals(members.get(i).vrfPublicKey().bytes(), publicKey)) {
        return i;
      }
    }
    return -1;
  }

  /** The index of the validator staking from this address, or -1. */
  public int indexOf(Address address) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).address().equals(address)) {
        return i;
      }
    }
    return -1;
  }
}
