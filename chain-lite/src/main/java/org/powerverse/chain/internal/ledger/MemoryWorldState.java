package org.powerverse.chain.internal.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.powerverse.chain.Account;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.WorldState;
import org.powerverse.chain.internal.Keccak;
import org.powerverse.chain.internal.Rlp;

/** The world state in sorted maps; the storage layer loads and saves it as a whole or by delta. */
public final class MemoryWorldState implements WorldState {

  public static final Comparator<Address> ADDRESS_ORDER = (a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes());
  public static final Comparator<Bytes32> KEY_ORDER = (a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes());
  static final Bytes32 ZERO = new Bytes32(new byte[32]);
  /** keccak256 of the empty string: Ethereum's code hash of an account without code. */
  public static final Bytes32 EMPTY_CODE_HASH = new Bytes32(Keccak.keccak256(new byte[0]));

  private final TreeMap<Address, Account> accounts = new TreeMap<>(ADDRESS_ORDER);
  private final TreeMap<Address, byte[]> code = new TreeMap<>(ADDRESS_ORDER);
  private final TreeMap<Address, TreeMap<Bytes32, Bytes32>> storage = new TreeMap<>(ADDRESS_ORDER);
  /** Addresses written since this state was created or copied: what the store must save. */
  private final TreeSet<Address> dirty = new TreeSet<>(ADDRESS_ORDER);

  public List<Address> dirty() {
    return List.copyOf(dirty);
  }

  void clearDirty() {
    dirty.clear();
  }

  @Override
  public Account account(Address address) {
    return accounts.getOrDefault(Objects.requireNonNull(address, "address"), Account.EMPTY);
  }

  @Override
  public void putAccount(Address address, Account account) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(account, "account");
    dirty.add(address);
    if (account.isEmpty() && !code.containsKey(address) && !storage.containsKey(address)) {
      accounts.remove(address); // EIP-161: empty accounts do not exist
    } else {
      accounts.put(address, account);
    }
  }

  @Override
  public byte[] code(Address address) {
    byte[] bytes = code.get(address);
    return bytes == null ? new byte[0] : bytes.clone();
  }

  @Override
  public void putCode(Address address, byte[] bytes) {
    dirty.add(address);
    if (bytes.length == 0) {
      code.remove(address);
    } else {
      code.put(address, bytes.clone());
      accounts.putIfAbsent(address, Account.EMPTY);
    }
  }

  @Override
  public Bytes32 storage(Address address, Bytes32 key) {
    Map<Bytes32, Bytes32> slots = storage.get(address);
    return slots == null ? ZERO : slots.getOrDefault(key, ZERO);
  }

  @Override
  public void putStorage(Address address, Bytes32 key, Bytes32 value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    dirty.add(address);
    if (value.equals(ZERO)) {
      TreeMap<Bytes32, Bytes32> slots = storage.get(address);
      if (slots != null) {
        slots.remove(key);
        if (slots.isEmpty()) {
          storage.remove(address);
        }
      }
      return;
    }
    storage.computeIfAbsent(address, a -> new TreeMap<>(KEY_ORDER)).put(key, value);
    accounts.putIfAbsent(address, Account.EMPTY);
  }

  @Override
  public NavigableMap<Bytes32, Bytes32> storageOf(Address address) {
    TreeMap<Bytes32, Bytes32> slots = storage.get(address);
    return slots == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(new TreeMap<>(slots));
  }

  public boolean exists(Address address) {
    return accounts.containsKey(address) || code.containsKey(address) || storage.containsKey(address);
  }

  /** Every address with an account, code or storage, ordered. */
  public List<Address> addresses() {
    TreeSet<Address> all = new TreeSet<>(ADDRESS_ORDER);
    all.addAll(accounts.keySet());
    all.addAll(code.keySet());
    all.addAll(storage.keySet());
    return List.copyOf(all);
  }

  /**
   * Merkle root (RFC 6962 with Keccak) over the accounts in address order, each leaf
   * rlp([address, nonce, balance, codeHash, storageRoot]), the storage root being the same tree
   * over rlp([key, value]) in key order. Not Ethereum's Patricia trie: see docs/chain.md.
   */
  @Override
  public Bytes32 root() {
    List<byte[]> leaves = new ArrayList<>();
    for (Address address : addresses()) {
      Account account = account(address);
      byte[] codeBytes = code.get(address);
      byte[] codeHash = codeBytes == null ? EMPTY_CODE_HASH.bytes() : Keccak.keccak256(codeBytes);
      List<byte[]> slotLeaves = new ArrayList<>();
      storageOf(address).forEach((k, v) -> slotLeaves.add(Rlp.encodeList(Rlp.encodeBytes(k.bytes()), Rlp.encodeBytes(v.bytes()))));
      leaves.add(Rlp.encodeList(
          Rlp.encodeBytes(address.bytes()),
          Rlp.encodeInteger(account.nonce()),
          Rlp.encodeInteger(account.balance()),
          Rlp.encodeBytes(codeHash),
          Rlp.encodeBytes(Merkle.KECCAK.root(slotLeaves))));
    }
    return new Bytes32(Merkle.KECCAK.root(leaves));
  }

  @Override
  public MemoryWorldState copy() {
    MemoryWorldState copy = new MemoryWorldState();
    copy.accounts.putAll(accounts);
    code.forEach((a, c) -> copy.code.put(a, c.clone()));
    storage.forEach((a, s) -> copy.storage.put(a, new TreeMap<>(s)));
    return copy;
  }
}
