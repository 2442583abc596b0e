package org.powerverse.chain;

import java.util.NavigableMap;

/**
 * Accounts with code and storage, as the EVM will need them; transfers and staking use balances,
 * nonces and (for the staking system account) storage. Absent accounts read as
 * {@link Account#EMPTY}, absent code as empty, absent storage slots as zero.
 */
public interface WorldState {

  Account account(Address address);

  void putAccount(Address address, Account account);

  byte[] code(Address address);

  void putCode(Address address, byte[] code);

  Bytes32 storage(Address address, Bytes32 key);

  /** Writing zero deletes the slot, as in Ethereum. */
  void putStorage(Address address, Bytes32 key, Bytes32 value);

  /** The non-zero slots of one account, ordered by key. */
  NavigableMap<Bytes32, Bytes32> storageOf(Address address);

  /** A commitment to the whole state (see docs/chain.md, "State root"). */
  Bytes32 root();

  /** An independent copy, so that a block can be built or checked and thrown away. */
  WorldState copy();
}
