package org.powerverse.cdn.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.lmdbjava.ByteBufferProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;
import org.powerverse.cdn.Block;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multihash;
import org.powerverse.cdn.Pin;
import org.powerverse.platform.Json;
import org.powerverse.platform.StorageException;

/**
 * The block cache: blocks in LMDB keyed by multihash (so a CIDv0 and CIDv1 of one block share it),
 * bounded in bytes, with Caffeine's W-TinyLFU policy deciding which unpinned block leaves when the
 * bound is passed. Caffeine holds only each block's size; the bytes stay in LMDB.
 *
 * <ul>
 *   <li>Every block is hashed against its CID before it is written; LMDB commits are durable and
 *       atomic, so after kill -9 a block is either whole or absent.
 *   <li>Pinned blocks (reference-counted per pinned root) are kept out of the policy and never
 *       evicted; they count against the bound, which shrinks the room of the unpinned ones.
 *   <li>Reads go through a {@link Snapshot}: one LMDB read transaction whose buffers point straight
 *       into the memory map, valid until it closes, so serving copies nothing.
 *   <li>Writes run on one platform thread (LMDB's write lock belongs to an OS thread, and virtual
 *       threads move between carriers); callers wait for it. Evictions are deleted in batches.
 * </ul>
 * Lookups record frequency in the policy. After a restart the policy starts afresh: every stored
 * block is admitted again in key order and the frequency history is lost.
 */
public final class LmdbBlockstore implements AutoCloseable {

  private static final String BLOCKS = "blocks";
  /** A block's key and size, for accounting after a commit. */
  private record Sized(Multihash hash, int size) {}

  private static final String PINS = "pins";
  private static final String PIN_REFS = "pinrefs";

  private final Path dir;
  private final long maxBytes;
  private final Clock clock;
  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> blocks;
  private final Dbi<ByteBuffer> pins;
  private final Dbi<ByteBuffer> pinRefs;
  private final ExecutorService writer;
  private volatile Thread writerThread;
  private final Cache<Multihash, Integer> policy;
  private final Queue<Multihash> evicted = new ConcurrentLinkedQueue<>();
  private final Object pinning = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ThreadLocal<ByteBuffer> keyBuffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(128));

  private final AtomicLong bytesUsed = new AtomicLong();
  private final AtomicLong blockCount = new AtomicLong();
  private final AtomicLong pinnedBytes = new AtomicLong();
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong evictedBytes = new AtomicLong();

  private LmdbBlockstore(Path dir, long maxBytes, long mapSize, Clock clock) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.clock = clock;
    this.env = Env.create(ByteBufferProxy.PROXY_SAFE)
        .setMapSize(mapSize)
        .setMaxDbs(3)
        .setMaxReaders(1024)
        .open(dir.toFile(), EnvFlags.MDB_NOTLS);
    this.blocks = env.openDbi(BLOCKS, DbiFlags.MDB_CREATE);
    this.pins = env.openDbi(PINS, DbiFlags.MDB_CREATE);
    this.pinRefs = env.openDbi(PIN_REFS, DbiFlags.MDB_CREATE);
    this.writer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cdn-blockstore-write");
      thread.setDaemon(true);
      writerThread = thread;
      return thread;
    });
    this.policy = Caffeine.newBuilder()
        .maximumWeight(maxBytes)
        .weigher((Multihash key, Integer size) -> size)
        // Evictions run on the thread that caused them, and are only queued there: the queue is
        // drained into one LMDB delete transaction after each write.
        .executor(Runnable::run)
        .evictionListener((Multihash key, Integer size, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
          if (key != null && size != null && cause.wasEvicted()) {
            evicted.add(key);
            evictions.incrementAndGet();
            evictedBytes.addAndGet(size);
          }
        })
        .build();
  }

  /**
   * Opens (creating) the store in {@code dir}, bounded to {@code maxBytes} of blocks. The LMDB map
   * is sized with room for fragmentation; the file is sparse, so the room costs no disk.
   */
  public static LmdbBlockstore open(Path dir, long maxBytes, Clock clock) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create blockstore directory " + dir + ": " + e.getMessage(), e);
    }
    long mapSize = Math.max(2 * maxBytes, maxBytes + (1L << 30));
    LmdbBlockstore store;
    try {
      store = new LmdbBlockstore(dir, maxBytes, mapSize, Objects.requireNonNull(clock, "clock"));
    } catch (LmdbException e) {
      throw new StorageException("cannot open the blockstore in " + dir + ": " + e.getMessage(), e);
    }
    store.load();
    return store;
  }

  /** Counts what is stored and admits every unpinned block to the policy. */
  private void load() {
    try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> entries = blocks.iterate(txn)) {
      for (CursorIterable.KeyVal<ByteBuffer> entry : entries) {
        int size = entry.val().remaining();
        bytesUsed.addAndGet(size);
        blockCount.incrementAndGet();
        Multihash hash = Multihash.decode(bytes(entry.key()));
        if (pinRefs.get(txn, entry.key()) != null) {
          pinnedBytes.addAndGet(size);
        } else {
          policy.put(hash, size);
        }
      }
    }
    resizePolicy();
    drainEvictions();
  }

  public Path dir() {
    return dir;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /** Whether the block is stored (identity blocks always are). */
  public boolean has(Cid cid) {
    if (cid.isIdentity()) {
      return true;
    }
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return blocks.get(txn, key(cid.multihash())) != null;
    }
  }

  /** Stores a block after checking it against its CID; a block already there is left as it is. */
  public void put(Cid cid, ByteBuffer data) {
    putAll(List.of(new Block(cid, bytes(data))));
  }

  /**
   * Stores blocks in one transaction, each checked against its CID first: if any does not match,
   * nothing is stored and {@link Block.BlockMismatchException} names it.
   */
  public void putAll(List<Block> batch) {
    admit(insert(batch));
    drainEvictions();
  }

  /** Verifies and writes blocks; returns those that were not stored before (not yet admitted). */
  private List<Sized> insert(List<Block> batch) {
    List<Block> toStore = new ArrayList<>(batch.size());
    for (Block block : batch) {
      if (!block.cid().multihash().matches(block.data())) {
        throw new Block.BlockMismatchException(block.cid(), block.data().length);
      }
      if (!block.cid().isIdentity()) {
        toStore.add(block);
      }
    }
    if (toStore.isEmpty()) {
      return List.of();
    }
    List<Sized> inserted = write(txn -> {
      List<Sized> added = new ArrayList<>();
      for (Block block : toStore) {
        ByteBuffer key = directKey(block.cid().multihash());
        if (blocks.get(txn, key) == null) {
          ByteBuffer space = blocks.reserve(txn, key, block.data().length);
          space.put(block.data());
          added.add(new Sized(block.cid().multihash(), block.data().length));
        }
      }
      return added;
    });
    for (Sized block : inserted) {
      bytesUsed.addAndGet(block.size());
      blockCount.incrementAndGet();
    }
    return inserted;
  }

  /**
   * A bulk import (an upload, a CAR): its blocks are stored but kept out of the eviction policy
   * until {@link ImportSession#finish} has pinned what should be pinned, so a large import is not
   * evicted while it is still arriving. Meanwhile the store may exceed its bound by the import's
   * size. After a crash the blocks are simply admitted to the policy on the next open.
   */
  public ImportSession importSession() {
    ensureOpen();
    return new ImportSession();
  }

  /** See {@link #importSession()}. Not thread-safe; one importer uses it. */
  public final class ImportSession implements BlockSink, AutoCloseable {
    private static final long BATCH_BYTES = 16L << 20;
    private final List<Block> pending = new ArrayList<>();
    private final List<Sized> inserted = new ArrayList<>();
    private long pendingBytes;
    private long blocksSeen;
    private long bytesSeen;
    private boolean closed;

    @Override
    public void put(Cid cid, ByteBuffer data) {
      put(new Block(cid, bytes(data)));
    }

    /** Adds a block (verified when its batch is written). */
    public void put(Block block) {
      pending.add(block);
      pendingBytes += block.data().length;
      blocksSeen++;
      bytesSeen += block.data().length;
      if (pendingBytes >= BATCH_BYTES) {
        flush();
      }
    }

    private void flush() {
      if (!pending.isEmpty()) {
        inserted.addAll(insert(pending));
        pending.clear();
        pendingBytes = 0;
      }
    }

    /** Blocks and bytes put so far (duplicates included). */
    public long[] seen() {
      return new long[] {blocksSeen, bytesSeen};
    }

    /**
     * Writes what is pending, pins {@code roots} (their DAGs must be stored by now), then hands
     * the import's other blocks to the eviction policy.
     */
    public List<Pin> finish(List<Cid> roots) {
      flush();
      List<Pin> pins = new ArrayList<>();
      try {
        for (Cid root : roots) {
          try (Snapshot snapshot = snapshot()) {
            pins.add(pin(root, snapshot));
          }
        }
      } finally {
        close();
      }
      return pins;
    }

    /** Admits the import's blocks to the policy (those not pinned meanwhile). Idempotent. */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      pending.clear();
      admitSized(inserted);
      drainEvictions();
    }
  }

  private void admit(List<Sized> inserted) {
    if (inserted.isEmpty()) {
      return;
    }
    synchronized (pinning) {
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        for (Sized block : inserted) {
          if (pinRefs.get(txn, key(block.hash())) == null) {
            policy.put(block.hash(), block.size());
          } else {
            pinnedBytes.addAndGet(block.size());
          }
        }
      }
    }
  }

  /** Admits blocks an import session held back; pinned ones were counted when they were pinned. */
  private void admitSized(List<Sized> held) {
    synchronized (pinning) {
      try (Txn<ByteBuffer> txn = env.txnRead()) {
        for (Sized block : held) {
          ByteBuffer key = key(block.hash());
          if (pinRefs.get(txn, key) == null && blocks.get(txn, key) != null) {
            policy.put(block.hash(), block.size());
          }
        }
      }
    }
  }

  /** A consistent read view; its buffers are valid until it is closed. */
  public Snapshot snapshot() {
    ensureOpen();
    return new Snapshot(env.txnRead());
  }

  /** A copy of a block, for callers that outlive a snapshot. */
  public Optional<byte[]> getCopy(Cid cid) {
    try (Snapshot snapshot = snapshot()) {
      return snapshot.get(cid).map(LmdbBlockstore::bytes);
    }
  }

  /** Counts a request served locally or not (the stats' hit ratio is per request). */
  public void recordLookup(boolean hit) {
    (hit ? hits : misses).incrementAndGet();
  }

  /**
   * Pins the DAG under {@code root}: walks it through {@code source} (which may fetch what is
   * missing and store it here), then counts a reference on each of its blocks in one transaction.
   * Pinning a root twice is a no-op. Throws {@link MissingBlockException} when a block cannot be had.
   */
  public Pin pin(Cid root, BlockSource source) {
    Optional<Pin> existing = findPin(root);
    if (existing.isPresent()) {
      return existing.get();
    }
    Map<Multihash, Cid> dag = dagBlocks(root, source);
    synchronized (pinning) {
      Pin pin = write(txn -> {
        byte[] rootKey = root.bytes();
        ByteBuffer found = pins.get(txn, direct(rootKey));
        if (found != null) {
          return Json.read(bytes(found), Pin.class);
        }
        long bytes = 0;
        List<Sized> newlyPinned = new ArrayList<>();
        for (Map.Entry<Multihash, Cid> entry : dag.entrySet()) {
          Multihash hash = entry.getKey();
          ByteBuffer key = directKey(hash);
          ByteBuffer block = blocks.get(txn, key);
          if (block == null) {
            throw new MissingBlockException(entry.getValue());
          }
          int size = block.remaining();
          bytes += size;
          long references = refCount(pinRefs.get(txn, key));
          pinRefs.put(txn, key, direct(Varint.encode(references + 1)));
          if (references == 0) {
            newlyPinned.add(new Sized(hash, size));
          }
        }
        Pin created = new Pin(root.toString(), clock.instant(), dag.size(), bytes);
        pins.put(txn, direct(rootKey), direct(Json.bytes(created)));
        txn.commit();
        for (Sized entry : newlyPinned) {
          policy.invalidate(entry.hash()); // explicit removal: not an eviction, the block stays
          pinnedBytes.addAndGet(entry.size());
        }
        return created;
      }, false);
      resizePolicy();
      drainEvictions();
      return pin;
    }
  }

  /** Removes a pin; its blocks that no other pin holds return to the policy. Returns whether it was pinned. */
  public boolean unpin(Cid root) {
    if (findPin(root).isEmpty()) {
      return false;
    }
    synchronized (pinning) {
      Set<Multihash> dag;
      try (Snapshot snapshot = snapshot()) {
        dag = dagBlocks(root, snapshot).keySet();
      }
      boolean removed = write(txn -> {
        if (!pins.delete(txn, direct(root.bytes()))) {
          return false;
        }
        List<Sized> released = new ArrayList<>();
        for (Multihash hash : dag) {
          ByteBuffer key = directKey(hash);
          long references = refCount(pinRefs.get(txn, key));
          if (references <= 1) {
            pinRefs.delete(txn, key);
            ByteBuffer block = blocks.get(txn, key);
            if (block != null) {
              released.add(new Sized(hash, block.remaining()));
            }
          } else {
            pinRefs.put(txn, key, direct(Varint.encode(references - 1)));
          }
        }
        txn.commit();
        for (Sized entry : released) {
          pinnedBytes.addAndGet(-entry.size());
        }
        resizePolicy();
        for (Sized entry : released) {
          policy.put(entry.hash(), entry.size());
        }
        return true;
      }, false);
      drainEvictions();
      return removed;
    }
  }

  public Optional<Pin> findPin(Cid root) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return Optional.ofNullable(pins.get(txn, direct(root.bytes()))).map(value -> Json.read(bytes(value), Pin.class));
    }
  }

  /** Every pin, in key order of their root CIDs. */
  public List<Pin> pins() {
    List<Pin> out = new ArrayList<>();
    try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> entries = pins.iterate(txn)) {
      for (CursorIterable.KeyVal<ByteBuffer> entry : entries) {
        out.add(Json.read(bytes(entry.val()), Pin.class));
      }
    }
    return out;
  }

  public boolean isPinned(Cid cid) {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return pinRefs.get(txn, key(cid.multihash())) != null;
    }
  }

  /**
   * Evicts unpinned blocks now: those of the DAG under {@code root} that are stored (all unpinned
   * blocks when root is null). Returns {blocks, bytes} removed.
   */
  public long[] evict(Cid root) {
    synchronized (pinning) {
      Set<Multihash> candidates;
      if (root == null) {
        candidates = new HashSet<>(policy.asMap().keySet());
      } else {
        candidates = new LinkedHashSet<>();
        try (Snapshot snapshot = snapshot()) {
          DagReader reader = new DagReader(snapshot);
          try {
            reader.walk(reader.node(root), DagReader.Scope.ALL, null, node -> candidates.add(node.cid().multihash()));
          } catch (MissingBlockException | IllegalArgumentException e) {
            // Evict what is there; a partial DAG is still evicted as far as it is stored.
          }
        }
      }
      policy.invalidateAll(candidates);
      return write(txn -> {
        long count = 0;
        long bytes = 0;
        for (Multihash hash : candidates) {
          ByteBuffer key = directKey(hash);
          if (pinRefs.get(txn, key) != null) {
            continue;
          }
          ByteBuffer block = blocks.get(txn, key);
          if (block != null) {
            int size = block.remaining();
            blocks.delete(txn, key);
            count++;
            bytes += size;
          }
        }
        txn.commit();
        bytesUsed.addAndGet(-bytes);
        blockCount.addAndGet(-count);
        return new long[] {count, bytes};
      }, false);
    }
  }

  /**
   * Re-hashes every stored block and deletes any that does not match its key. Returns {checked,
   * removed}. LMDB's atomic commits make a mismatch a sign of disk corruption, not of a crash.
   */
  public long[] verifyAll() {
    List<Multihash> corrupt = new ArrayList<>();
    long checked = 0;
    try (Txn<ByteBuffer> txn = env.txnRead(); CursorIterable<ByteBuffer> entries = blocks.iterate(txn)) {
      for (CursorIterable.KeyVal<ByteBuffer> entry : entries) {
        checked++;
        Multihash hash = Multihash.decode(bytes(entry.key()));
        if (!hash.isVerifiable() || !hash.matches(entry.val())) {
          corrupt.add(hash);
        }
      }
    }
    if (!corrupt.isEmpty()) {
      policy.invalidateAll(corrupt);
      write(txn -> {
        for (Multihash hash : corrupt) {
          ByteBuffer key = directKey(hash);
          ByteBuffer block = blocks.get(txn, key);
          if (block != null) {
            bytesUsed.addAndGet(-block.remaining());
            blockCount.decrementAndGet();
            blocks.delete(txn, key);
          }
        }
        return null;
      });
    }
    return new long[] {checked, corrupt.size()};
  }

  /** Numbers for the stats operation (origin counters are the fetcher's). */
  public long[] counters() {
    return new long[] {bytesUsed.get(), blockCount.get(), pinnedBytes.get(), hits.get(), misses.get(), evictions.get(), evictedBytes.get()};
  }

  public long pinCount() {
    try (Txn<ByteBuffer> txn = env.txnRead()) {
      return pins.stat(txn).entries;
    }
  }

  /** The distinct stored blocks of a DAG, by multihash, with a CID each (for error messages). */
  private Map<Multihash, Cid> dagBlocks(Cid root, BlockSource source) {
    Map<Multihash, Cid> dag = new LinkedHashMap<>();
    DagReader reader = new DagReader(source);
    reader.walk(reader.node(root), DagReader.Scope.ALL, null, node -> {
      if (!node.cid().isIdentity()) {
        dag.putIfAbsent(node.cid().multihash(), node.cid());
      }
    });
    return dag;
  }

  private void resizePolicy() {
    long room = Math.max(0, maxBytes - pinnedBytes.get());
    policy.policy().eviction().ifPresent(eviction -> eviction.setMaximum(room));
  }

  /** Deletes the blocks the policy evicted, unless they were re-admitted or pinned meanwhile. */
  private void drainEvictions() {
    policy.cleanUp(); // runs pending policy maintenance (and so evictions) now, on this thread
    if (evicted.isEmpty()) {
      return;
    }
    write(txn -> {
      Multihash hash;
      long count = 0;
      long bytes = 0;
      while ((hash = evicted.poll()) != null) {
        if (policy.asMap().containsKey(hash)) {
          continue;
        }
        ByteBuffer key = directKey(hash);
        if (pinRefs.get(txn, key) != null) {
          continue;
        }
        ByteBuffer block = blocks.get(txn, key);
        if (block != null) {
          bytes += block.remaining();
          count++;
          blocks.delete(txn, key);
        }
      }
      txn.commit();
      bytesUsed.addAndGet(-bytes);
      blockCount.addAndGet(-count);
      return null;
    }, false);
  }

  private <R> R write(Function<Txn<ByteBuffer>, R> work) {
    return write(work, true);
  }

  /** Runs {@code work} in a write transaction on the writer thread; commits after it unless it did. */
  private <R> R write(Function<Txn<ByteBuffer>, R> work, boolean commit) {
    ensureOpen();
    if (Thread.currentThread() == writerThread) {
      return writeHere(work, commit);
    }
    Future<R> result = writer.submit(() -> writeHere(work, commit));
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted waiting for a blockstore write in " + dir, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new StorageException("blockstore write in " + dir + " failed", e.getCause());
    }
  }

  private <R> R writeHere(Function<Txn<ByteBuffer>, R> work, boolean commit) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      R result = work.apply(txn);
      if (commit) {
        txn.commit();
      }
      return result;
    } catch (Env.MapFullException e) {
      throw new StorageException("the blockstore's LMDB map in " + dir + " is full (" + env.info().mapSize + " bytes)", e);
    } catch (LmdbException e) {
      throw new StorageException("blockstore write in " + dir + " failed: " + e.getMessage(), e);
    }
  }

  private static long refCount(ByteBuffer value) {
    return value == null ? 0 : Varint.read(value.duplicate());
  }

  /** A key buffer for the writer thread or a platform reader thread (reused per thread). */
  private ByteBuffer key(Multihash hash) {
    if (Thread.currentThread().isVirtual()) {
      return directKey(hash);
    }
    byte[] bytes = hash.bytes();
    ByteBuffer buffer = keyBuffers.get();
    if (bytes.length > buffer.capacity()) {
      return direct(bytes);
    }
    buffer.clear();
    buffer.put(bytes).flip();
    return buffer;
  }

  private static ByteBuffer directKey(Multihash hash) {
    return direct(hash.bytes());
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, bytes.length));
    buffer.put(bytes).flip();
    return buffer;
  }

  static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("the blockstore in " + dir + " is closed");
    }
  }

  /** Waits for pending writes, then closes LMDB. Open snapshots must be closed first. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.shutdown();
    try {
      writer.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    env.close();
  }

  /**
   * One read transaction over the store. Buffers it returns point into LMDB's memory map and stay
   * valid until it closes; they are read-only. Close it on any thread (LMDB runs with MDB_NOTLS).
   */
  public final class Snapshot implements BlockSource, AutoCloseable {
    private final Txn<ByteBuffer> txn;
    private final AtomicBoolean done = new AtomicBoolean();

    private Snapshot(Txn<ByteBuffer> txn) {
      this.txn = txn;
    }

    @Override
    public Optional<ByteBuffer> get(Cid cid) {
      if (cid.isIdentity()) {
        return Optional.of(ByteBuffer.wrap(cid.multihash().digest()).asReadOnlyBuffer());
      }
      Multihash hash = cid.multihash();
      ByteBuffer found = blocks.get(txn, key(hash));
      if (found == null) {
        return Optional.empty();
      }
      policy.getIfPresent(hash); // records the access for the frequency sketch
      // lmdbjava reuses one value buffer per transaction: keep a view of this block's memory.
      return Optional.of(found.duplicate().asReadOnlyBuffer());
    }

    @Override
    public void close() {
      if (done.compareAndSet(false, true)) {
        txn.close();
      }
    }
  }
}
