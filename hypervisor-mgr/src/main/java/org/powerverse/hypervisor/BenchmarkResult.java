package org.powerverse.hypervisor;

import java.time.Instant;

/**
 * What the host benchmark measured. Kept in LMDB; the latest one feeds the score.
 *
 * @param jobId the job that ran it
 */
public record BenchmarkResult(String jobId, Instant startedAt, Instant finishedAt, Cpu cpu, Memory memory, Disk disk) {

  /**
   * SHA-256 hashing throughput: one thread, then one thread per logical CPU at once.
   *
   * @param scaling multiThreadMBps / singleThreadMBps: how well the cores add up
   */
  public record Cpu(double singleThreadMBps, double multiThreadMBps, int threads, double scaling) {}

  /** Large-buffer copy bandwidth, counted as STREAM's Copy counts it (bytes read + bytes written). */
  public record Memory(double copyGBps, long bufferBytes) {}

  /**
   * Throughput on the data partition.
   *
   * @param path the directory measured
   * @param directIo whether reads bypassed the page cache (O_DIRECT); false where the filesystem
   *     refuses it (tmpfs), and then read figures show the cache, not the disk
   * @param sequentialWriteMBps writing the file in 1 MiB blocks, fsync included
   * @param sequentialReadMBps reading it back in 1 MiB blocks
   * @param randomReadIops 4 KiB reads at random aligned offsets
   */
  public record Disk(String path, long fileBytes, boolean directIo, double sequentialWriteMBps,
      double sequentialReadMBps, double randomReadIops) {}
}
