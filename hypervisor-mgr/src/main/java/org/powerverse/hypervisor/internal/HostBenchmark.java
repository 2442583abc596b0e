package org.powerverse.hypervisor.internal;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.powerverse.hypervisor.BenchmarkResult;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.platform.JobContext;

/**
 * Measures the host: CPU (one thread, then all), memory bandwidth, and the data partition's disk.
 * Elapsed times come from System.nanoTime: a benchmark measures real time by definition; the
 * injected Clock only stamps when it ran.
 */
public final class HostBenchmark {

  private static final int CHUNK = 1 << 20;
  private static final int RANDOM_BLOCK = 4096;
  private static final String TEMP_FILE = ".powerverse-benchmark.tmp";

  private final HypervisorConfig.BenchmarkConfig config;
  private final Path dataDir;
  private final Clock clock;
  private final SplittableRandom random;
  private volatile byte sink;

  public HostBenchmark(HypervisorConfig.BenchmarkConfig config, Path dataDir, Clock clock, long seed) {
    this.config = config;
    this.dataDir = dataDir;
    this.clock = clock;
    this.random = new SplittableRandom(seed);
  }

  public BenchmarkResult run(JobContext job) throws IOException, InterruptedException {
    Instant started = clock.instant();
    job.progress(0, "CPU, one thread");
    double single = hashMBps(1, job);
    job.progress(15, "CPU, all threads");
    int threads = Runtime.getRuntime().availableProcessors();
    double multi = hashMBps(threads, job);
    job.progress(30, "memory bandwidth");
    double memory = copyGBps(job);
    job.progress(45, "disk: sequential write");
    BenchmarkResult.Disk disk = disk(job);
    job.progress(100, "done");
    return new BenchmarkResult(job.jobId(), started, clock.instant(),
        new BenchmarkResult.Cpu(round(single), round(multi), threads, round(multi / single)),
        new BenchmarkResult.Memory(round(memory), config.memoryBytes()),
        disk);
  }

  /**
   * SHA-256 throughput of {@code threads} platform threads hashing at once. All start together from
   * a barrier and each hashes at least one block, so a thread scheduled late still counts; the rate
   * is all bytes over the time from the barrier to the last thread's end.
   */
  private double hashMBps(int threads, JobContext job) throws InterruptedException {
    long phaseNanos = (long) (config.phaseSeconds() * 1e9);
    AtomicLong bytes = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(threads);
    long[] start = new long[1];
    for (int i = 0; i < threads; i++) {
      // Platform threads: the point is to load every core at once.
      Thread.ofPlatform().name("benchmark-cpu-" + i).start(() -> {
        try {
          MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
          byte[] block = new byte[64 << 10];
          ready.countDown();
          go.await();
          long hashed = 0;
          do {
            sha256.update(block);
            hashed += block.length;
          } while (System.nanoTime() - start[0] < phaseNanos && !job.isCancelled());
          sha256.digest();
          bytes.addAndGet(hashed);
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("every JDK has SHA-256", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          done.countDown();
        }
      });
    }
    ready.await();
    start[0] = System.nanoTime();
    go.countDown(); // the latch publishes start[0] to the workers
    done.await();
    long elapsed = System.nanoTime() - start[0];
    job.checkCancelled();
    return bytes.get() / 1e6 / (elapsed / 1e9);
  }

  private double copyGBps(JobContext job) {
    int size = (int) Math.min(config.memoryBytes() / 2, Integer.MAX_VALUE - 16);
    byte[] source = new byte[size];
    byte[] target = new byte[size];
    random.nextBytes(source);
    long phaseNanos = (long) (config.phaseSeconds() * 1e9);
    long copied = 0;
    long start = System.nanoTime();
    do {
      System.arraycopy(source, 0, target, 0, size);
      copied += size;
      job.checkCancelled();
    } while (System.nanoTime() - start < phaseNanos);
    double seconds = (System.nanoTime() - start) / 1e9;
    sink = target[random.nextInt(size)]; // the copies are used, so the JIT cannot drop them
    return 2.0 * copied / 1e9 / seconds; // read + write, as STREAM's Copy counts
  }

  private BenchmarkResult.Disk disk(JobContext job) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve(TEMP_FILE);
    long total = config.diskBytes();
    try {
      double write = sequentialWrite(file, total, job);
      job.progress(75, "disk: sequential read");
      boolean direct = true;
      double read;
      try {
        read = sequentialRead(file, total, true, job);
      } catch (IOException e) {
        // O_DIRECT refused (tmpfs and some FUSE filesystems): measure through the page cache and say so.
        direct = false;
        read = sequentialRead(file, total, false, job);
      }
      job.progress(90, "disk: random 4 KiB reads");
      double iops = randomReadIops(file, total, direct, job);
      return new BenchmarkResult.Disk(dataDir.toString(), total, direct, round(write), round(read), round(iops));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private double sequentialWrite(Path file, long total, JobContext job) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK);
    byte[] noise = new byte[CHUNK];
    random.nextBytes(noise); // incompressible, so a compressing filesystem cannot flatter it
    chunk.put(noise).flip();
    long start = System.nanoTime();
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      for (long written = 0; written < total; written += CHUNK) {
        chunk.rewind();
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
        job.checkCancelled();
        job.progress(45 + 30.0 * written / total, "disk: sequential write");
      }
      out.force(true);
    }
    return total / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  private double sequentialRead(Path file, long total, boolean direct, JobContext job) throws IOException {
    ByteBuffer chunk = aligned(CHUNK, file);
    long start = System.nanoTime();
    try (FileChannel in = open(file, direct)) {
      long read = 0;
      while (read < total) {
        chunk.clear();
        int n = in.read(chunk, read);
        if (n < 0) {
          break;
        }
        read += n;
        job.checkCancelled();
      }
    }
    return total / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  private double randomReadIops(Path file, long total, boolean direct, JobContext job) throws IOException {
    ByteBuffer block = aligned(RANDOM_BLOCK, file);
    long blocks = total / RANDOM_BLOCK;
    long phaseNanos = (long) (config.randomReadSeconds() * 1e9);
    long reads = 0;
    long start = System.nanoTime();
    try (FileChannel in = open(file, direct)) {
      do { // at least one read, however late this thread runs
        block.clear();
        in.read(block, random.nextLong(blocks) * RANDOM_BLOCK);
        if (++reads % 256 == 0) {
          job.checkCancelled();
        }
      } while (System.nanoTime() - start < phaseNanos);
    }
    return reads / ((System.nanoTime() - start) / 1e9);
  }

  private static FileChannel open(Path file, boolean direct) throws IOException {
    return direct ? FileChannel.open(file, StandardOpenOption.READ, ExtendedOpenOption.DIRECT)
        : FileChannel.open(file, StandardOpenOption.READ);
  }

  /** O_DIRECT needs buffers aligned to the filesystem's block size. */
  private static ByteBuffer aligned(int size, Path file) throws IOException {
    int alignment = (int) Math.max(4096, Files.getFileStore(file).getBlockSize());
    return ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).limit(size);
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
