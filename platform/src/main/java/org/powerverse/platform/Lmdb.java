package org.powerverse.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.lmdbjava.ByteBufferProxy;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.KeyRange;
import org.lmdbjava.LmdbException;

/**
 * One LMDB environment (a directory) with named tables (STYLE.md §4). Commits are durable (fsync),
 * so what a write returned survives kill -9 and power loss.
 *
 * <p>LMDB's write lock is a mutex owned by the OS thread that began the transaction, and virtual
 * threads may move between carriers; so every write transaction runs on this environment's own
 * platform thread, and callers (often virtual threads) wait for it. Reads run on the caller's
 * thread ({@code MDB_NOTLS}). Native errors become {@link StorageException} here, in one place;
 * "not found" is an empty {@link Optional}.
 */
public final class Lmdb implements AutoCloseable {

  private final Path dir;
  private final Env<ByteBuffer> env;
  private final Map<String, Dbi<ByteBuffer>> tables = new HashMap<>();
  private final ExecutorService writer;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Thread writerThread;

  private Lmdb(Path dir, Env<ByteBuffer> env) {
    this.dir = dir;
    this.env = env;
    this.writer = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "lmdb-write-" + dir.getFileName());
      thread.setDaemon(true);
      writerThread = thread;
      return thread;
    });
  }

  /**
   * Opens (creating if needed) the environment in {@code dir} with these tables. The map size is
   * the most the files may grow to; the file is sparse, so a generous size costs nothing.
   */
  public static Lmdb open(Path dir, long mapSizeBytes, List<String> tableNames) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StorageException("cannot create LMDB directory " + dir + ": " + e.getMessage(), e);
    }
    Env<ByteBuffer> env;
    try {
      env = Env.create(ByteBufferProxy.PROXY_SAFE)
          .setMapSize(mapSizeBytes)
          .setMaxDbs(Math.max(1, tableNames.size()))
          .setMaxReaders(256)
          .open(dir.toFile(), EnvFlags.MDB_NOTLS);
    } catch (LmdbException e) {
      throw new StorageException("cannot open LMDB environment " + dir + ": " + e.getMessage(), e);
    }
    Lmdb lmdb = new Lmdb(dir, env);
    try {
      for (String name : tableNames) {
        lmdb.tables.put(name, env.openDbi(name, DbiFlags.MDB_CREATE));
      }
    } catch (LmdbException e) {
      lmdb.close();
      throw new StorageException("cannot open tables of LMDB environment " + dir + ": " + e.getMessage(), e);
    }
    return lmdb;
  }

  public Path dir() {
    return dir;
  }

  /** A typed view of a table whose values are JSON of {@code type}. */
  public <T> Table<T> table(String name, Class<T> type) {
    dbi(name);
    return new Table<>(this, name, type);
  }

  /** Runs {@code work} in a read transaction on the calling thread. */
  public <R> R read(Function<Txn, R> work) {
    ensureOpen();
    try (org.lmdbjava.Txn<ByteBuffer> txn = env.txnRead()) {
      return work.apply(new Txn(txn, false));
    } catch (LmdbException e) {
      throw storageError("read", e);
    }
  }

  /**
   * Runs {@code work} in one write transaction and commits it durably; if {@code work} throws,
   * nothing it wrote is kept. Blocks the caller until committed.
   */
  public <R> R write(Function<Txn, R> work) {
    ensureOpen();
    if (Thread.currentThread() == writerThread) {
      return writeHere(work);
    }
    Future<R> result = writer.submit(() -> writeHere(work));
    try {
      return result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted waiting for a write to " + dir, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new StorageException("write to " + dir + " failed", e.getCause());
    }
  }

  private <R> R writeHere(Function<Txn, R> work) {
    try (org.lmdbjava.Txn<ByteBuffer> txn = env.txnWrite()) {
      R result = work.apply(new Txn(txn, true));
      txn.commit();
      return result;
    } catch (LmdbException e) {
      throw storageError("write", e);
    }
  }

  private StorageException storageError(String what, LmdbException e) {
    if (e instanceof Env.MapFullException) {
      return new StorageException("LMDB environment " + dir + " is full (map size " + env.info().mapSize
          + " bytes); raise its size in the config", e);
    }
    return new StorageException("LMDB " + what + " in " + dir + " failed: " + e.getMessage(), e);
  }

  Dbi<ByteBuffer> dbi(String name) {
    Dbi<ByteBuffer> dbi = tables.get(name);
    if (dbi == null) {
      throw new IllegalArgumentException("no table '" + name + "' in " + dir + "; opened: " + tables.keySet());
    }
    return dbi;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("LMDB environment " + dir + " is closed");
    }
  }

  /** Waits for pending writes, then closes the environment. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writer.shutdown();
    try {
      writer.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    env.close();
  }

  /** A transaction: reads see one consistent snapshot; writes (in a write transaction) commit together. */
  public final class Txn {
    private final org.lmdbjava.Txn<ByteBuffer> txn;
    private final boolean writable;

    private Txn(org.lmdbjava.Txn<ByteBuffer> txn, boolean writable) {
      this.txn = txn;
      this.writable = writable;
    }

    public Optional<byte[]> get(String table, byte[] key) {
      ByteBuffer found = dbi(table).get(txn, direct(key));
      return Optional.ofNullable(found).map(Lmdb::copy);
    }

    public void put(String table, byte[] key, byte[] value) {
      requireWritable();
      dbi(table).put(txn, direct(key), direct(value));
    }

    /** Returns whether the key was there. */
    public boolean delete(String table, byte[] key) {
      requireWritable();
      return dbi(table).delete(txn, direct(key));
    }

    /**
     * Visits entries whose keys start with {@code prefix}, in key order (reversed if asked), until
     * the visitor returns false.
     */
    public void scan(String table, byte[] prefix, boolean reverse, BiPredicate<byte[], byte[]> visitor) {
      KeyRange<ByteBuffer> range;
      if (prefix.length == 0) {
        range = reverse ? KeyRange.allBackward() : KeyRange.all();
      } else {
        byte[] upper = prefixUpperBound(prefix);
        if (reverse) {
          range = upper == null ? KeyRange.allBackward() : KeyRange.openClosedBackward(direct(upper), direct(prefix));
        } else {
          range = upper == null ? KeyRange.atLeast(direct(prefix)) : KeyRange.closedOpen(direct(prefix), direct(upper));
        }
      }
      try (CursorIterable<ByteBuffer> entries = dbi(table).iterate(txn, range)) {
        for (CursorIterable.KeyVal<ByteBuffer> entry : entries) {
          byte[] key = copy(entry.key());
          if (!startsWith(key, prefix)) {
            continue;
          }
          if (!visitor.test(key, copy(entry.val()))) {
            return;
          }
        }
      }
    }

    /** Number of entries in a table. */
    public long count(String table) {
      return dbi(table).stat(txn).entries;
    }

    private void requireWritable() {
      if (!writable) {
        throw new IllegalStateException("a read transaction cannot write to " + dir);
      }
    }
  }

  /** The smallest key greater than every key starting with {@code prefix}; null if none. */
  static byte[] prefixUpperBound(byte[] prefix) {
    byte[] upper = Arrays.copyOf(prefix, prefix.length);
    for (int i = upper.length - 1; i >= 0; i--) {
      if (upper[i] != (byte) 0xff) {
        upper[i]++;
        return Arrays.copyOf(upper, i + 1);
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static ByteBuffer direct(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, bytes.length));
    buffer.put(bytes).flip();
    return buffer;
  }

  private static byte[] copy(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  static byte[] utf8(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** All keys of a table starting with a prefix, in order (for small tables). */
  public List<String> keys(String table, String prefix) {
    List<String> keys = new ArrayList<>();
    read(txn -> {
      txn.scan(table, utf8(prefix), false, (key, value) -> keys.add(new String(key, StandardCharsets.UTF_8)));
      return null;
    });
    return keys;
  }
}
