package org.powerverse.chain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The whitepaper's {@code <hash, π, j>}: the VRF output over {@code seed || role}, its proof, and
 * j, the number of the node's selected sub-users (0: not selected).
 */
public record SortitionTicket(byte[] hash, byte[] proof, long subUsers) {

  public SortitionTicket {
    if (hash.length != Ecvrf.OUTPUT_BYTES || proof.length != Ecvrf.PROOF_BYTES) {
      throw new IllegalArgumentException("a ticket has a " + Ecvrf.OUTPUT_BYTES + "-byte hash and an "
          + Ecvrf.PROOF_BYTES + "-byte proof, got " + hash.length + " and " + proof.length);
    }
    hash = hash.clone();
    proof = proof.clone();
    if (subUsers < 0) {
      throw new IllegalArgumentException("sub-users are not negative, got " + subUsers);
    }
  }

  public boolean selected() {
    return subUsers > 0;
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  @Override
  public byte[] proof() {
    return proof.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SortitionTicket that
        && subUsers == that.subUsers
        && Arrays.equals(hash, that.hash)
        && Arrays.equals(proof, that.proof);
  }

  @Override
  public int hashCode() {
    return (31 * Arrays.hashCode(hash) + Arrays.hashCode(proof)) * 31 + Long.hashCode(subUsers);
  }

  @Override
  public String toString() {
    return "SortitionTicket[subUsers=" + subUsers + ", hash=" + HexFormat.of().formatHex(hash)
        + ", proof=" + HexFormat.of().formatHex(proof) + "]";
  }
}
