package org.powerverse.chain.internal.ledger;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.powerverse.chain.Account;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.BlockHeader;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Receipt;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.Transactions;
import org.powerverse.chain.WorldState;
import org.powerverse.chain.internal.Rlp;
import org.powerverse.platform.Lmdb;

/**
 * Blocks, receipts, indexes and the world state in one LMDB environment. {@link #commit} writes a
 * block, its receipts, its indexes, the accounts it changed and the head pointer in ONE write
 * transaction, so after kill -9 the store holds either all of a block or none of it, and the
 * loaded state always matches the head block's state root ({@link #open} checks that).
 *
 * <p>Tables: {@code blocks} height (8 bytes BE) → rlp([header, [raw tx...]]); {@code receipts}
 * height → rlp([receipt...]); {@code hashes} block hash → height; {@code txs} tx hash → height ||
 * index (4 bytes BE); {@code accounts} address → rlp([nonce, balance]); {@code code} address →
 * bytes; {@code storage} address || key → value; {@code meta} "head" → height.
 */
public final class ChainStore implements AutoCloseable {

  static final List<String> TABLES = List.of("blocks", "receipts", "hashes", "txs", "accounts", "code", "storage", "meta");
  private static final byte[] HEAD = "head".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /** Where a transaction is: block height and index in the body. */
  public record Location(long height, int index) {}

  private final Lmdb lmdb;
  private volatile long head = -1;

  private ChainStore(Lmdb lmdb) {
    this.lmdb = lmdb;
  }

  /**
   * Opens the store in {@code dir}; an empty store gets {@code genesisBlock} with {@code genesisState}.
   * Fails if the stored state does not hash to the head block's state root.
   */
  public static ChainStore open(Path dir, long mapSizeBytes, Block genesisBlock, WorldState genesisState) {
    ChainStore store = new ChainStore(Lmdb.open(dir, mapSizeBytes, TABLES));
    try {
      Optional<Long> head = store.lmdb.read(txn -> txn.get("meta", HEAD).map(ChainStore::toLong));
      if (head.isEmpty()) {
        store.commit(genesisBlock, List.of(), genesisState, true);
      } else {
        store.head = head.get();
        Bytes32 root = store.loadState().root();
        BlockHeader header = store.block(store.head).orElseThrow().header();
        if (!root.equals(header.stateRoot())) {
          throw new IllegalStateException("stored state root " + root + " is not head block " + store.head
              + "'s " + header.stateRoot());
        }
        Block genesis = store.block(0).orElseThrow();
        if (!genesis.hash().equals(genesisBlock.hash())) {
          throw new IllegalStateException("store in " + dir + " holds another chain: genesis " + genesis.hash()
              + ", expected " + genesisBlock.hash());
        }
      }
      return store;
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public long head() {
    return head;
  }

  /** Appends {@code block} (the next height) with its receipts and the state after it. */
  public void commit(Block block, List<Receipt> receipts, WorldState state) {
    commit(block, receipts, state, false);
  }

  private void commit(Block block, List<Receipt> receipts, WorldState state, boolean everything) {
    long height = block.header().height();
    if (height != head + 1) {
      throw new IllegalArgumentException("block height " + height + " does not follow the head " + head);
    }
    if (!(state instanceof MemoryWorldState memory)) {
      throw new IllegalArgumentException("the store saves MemoryWorldState, got " + state.getClass());
    }
    List<Address> changed = everything ? memory.addresses() : memory.dirty();
    lmdb.write(txn -> {
      byte[] key = longKey(height);
      txn.put("blocks", key, encodeBlock(block));
      txn.put("receipts", key, encodeReceipts(receipts));
      txn.put("hashes", block.hash().bytes(), key);
      List<SignedTransaction> txs = block.transactions();
      for (int i = 0; i < txs.size(); i++) {
        txn.put("txs", txs.get(i).hash().bytes(), ByteBuffer.allocate(12).putLong(height).putInt(i).array());
      }
      for (Address address : changed) {
        byte[] a = address.bytes();
        Account account = memory.account(address);
        boolean exists = memory.exists(address);
        if (exists) {
          txn.put("accounts", a, Rlp.encodeList(Rlp.encodeInteger(account.nonce()), Rlp.encodeInteger(account.balance())));
        } else {
          txn.delete("accounts", a);
        }
        byte[] code = memory.code(address);
        if (code.length > 0) {
          txn.put("code", a, code);
        } else {
          txn.delete("code", a);
        }
        List<byte[]> stale = new ArrayList<>();
        txn.scan("storage", a, false, (k, v) -> stale.add(k));
        stale.forEach(k -> txn.delete("storage", k));
        memory.storageOf(address).forEach((k, v) -> {
          byte[] slotKey = Arrays.copyOf(a, 52);
          System.arraycopy(k.bytes(), 0, slotKey, 20, 32);
          txn.put("storage", slotKey, v.bytes());
        });
      }
      txn.put("meta", HEAD, key);
      return null;
    });
    memory.clearDirty();
    head = height;
  }

  public Optional<Block> block(long height) {
    return lmdb.read(txn -> txn.get("blocks", longKey(height))).map(ChainStore::decodeBlock);
  }

  public Optional<Long> height(Bytes32 blockHash) {
    return lmdb.read(txn -> txn.get("hashes", blockHash.bytes())).map(ChainStore::toLong);
  }

  public List<Receipt> receipts(long height) {
    return lmdb.read(txn -> txn.get("receipts", longKey(height))).map(ChainStore::decodeReceipts).orElse(List.of());
  }

  public Optional<Location> locate(Bytes32 transactionHash) {
    return lmdb.read(txn -> txn.get("txs", transactionHash.bytes()))
        .map(v -> new Location(ByteBuffer.wrap(v).getLong(), ByteBuffer.wrap(v).getInt(8)));
  }

  /** The state after the head block, read whole (at start-up). */
  public MemoryWorldState loadState() {
    MemoryWorldState state = new MemoryWorldState();
    lmdb.read(txn -> {
      txn.scan("accounts", new byte[0], false, (k, v) -> {
        List<Rlp.Item> f = fields(Rlp.decode(v), "account", 2);
        state.putAccount(new Address(k), new Account(Rlp.uint63(f.get(0), "nonce"), Rlp.integer(f.get(1), "balance", 32)));
        return true;
      });
      txn.scan("code", new byte[0], false, (k, v) -> {
        state.putCode(new Address(k), v);
        return true;
      });
      txn.scan("storage", new byte[0], false, (k, v) -> {
        state.putStorage(new Address(Arrays.copyOf(k, 20)), new Bytes32(Arrays.copyOfRange(k, 20, 52)), new Bytes32(v));
        return true;
      });
      return null;
    });
    state.clearDirty();
    return state;
  }

  @Override
  public void close() {
    lmdb.close();
  }

  static byte[] longKey(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static long toLong(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  private static List<Rlp.Item> fields(Rlp.Item item, String name, int count) {
    List<Rlp.Item> f = Rlp.list(item, name);
    if (f.size() != count) {
      throw new Rlp.RlpException(name + ": expected " + count + " fields, got " + f.size());
    }
    return f;
  }

  public static byte[] encodeBlock(Block block) {
    List<byte[]> txs = block.transactions().stream().map(tx -> Rlp.encodeBytes(tx.encoded())).toList();
    return Rlp.encodeList(Rlp.encodeBytes(block.header().encode()), Rlp.encodeList(txs));
  }

  public static Block decodeBlock(byte[] encoded) {
    List<Rlp.Item> f = fields(Rlp.decode(encoded), "block", 2);
    BlockHeader header = BlockHeader.decode(Rlp.bytes(f.get(0), "header"));
    List<SignedTransaction> txs = Rlp.list(f.get(1), "transactions").stream()
        .map(item -> Transactions.decode(Rlp.bytes(item, "transaction"))).toList();
    return new Block(header, txs);
  }

  static byte[] encodeReceipts(List<Receipt> receipts) {
    return Rlp.encodeList(receipts.stream().map(r -> Rlp.encodeList(Rlp.encodeBytes(r.transactionHash().bytes()),
        Rlp.encodeInteger(r.transactionType()), Rlp.encodeBytes(r.from().bytes()), Rlp.encodeInteger(r.success() ? 1 : 0),
        Rlp.encodeInteger(r.gasUsed()), Rlp.encodeInteger(r.cumulativeGasUsed()), Rlp.encodeInteger(r.effectiveGasPrice()),
        Rlp.encodeBytes(r.failure().getBytes(java.nio.charset.StandardCharsets.UTF_8)))).toList());
  }

  static List<Receipt> decodeReceipts(byte[] encoded) {
    return Rlp.list(Rlp.decode(encoded), "receipts").stream().map(item -> {
      List<Rlp.Item> f = fields(item, "receipt", 8);
      return new Receipt(new Bytes32(Rlp.bytes(f.get(0), "hash")), Rlp.integer(f.get(1), "type", 1).intValue(),
          new Address(Rlp.bytes(f.get(2), "from")), Rlp.integer(f.get(3), "status", 1).signum() == 1,
          Rlp.uint63(f.get(4), "gasUsed"), Rlp.uint63(f.get(5), "cumulativeGasUsed"),
          Rlp.integer(f.get(6), "effectiveGasPrice", 32),
          new String(Rlp.bytes(f.get(7), "failure"), java.nio.charset.StandardCharsets.UTF_8));
    }).toList();
  }
}
