package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.hypervisor.BenchmarkResult;
import org.powerverse.hypervisor.HypervisorConfig;

class HostBenchmarkTest {

  // Small and short: this checks what the benchmark reports, not how fast the machine is.
  private static final HypervisorConfig.BenchmarkConfig SMALL =
      new HypervisorConfig.BenchmarkConfig(8L << 20, 4L << 20, 0.05, 0.05);

  @TempDir Path data;

  @Test
  void measuresEveryPartAndLeavesNoFileBehind() throws Exception {
    RecordingJob job = new RecordingJob();
    BenchmarkResult result = new HostBenchmark(SMALL, data, Clock.systemUTC(), 42).run(job);
    assertTrue(result.cpu().singleThreadMBps() > 0);
    assertTrue(result.cpu().multiThreadMBps() > 0);
    assertEquals(Runtime.getRuntime().availableProcessors(), result.cpu().threads());
    assertTrue(result.memory().copyGBps() > 0);
    assertEquals(8L << 20, result.disk().fileBytes());
    assertTrue(result.disk().sequentialWriteMBps() > 0);
    assertTrue(result.disk().sequentialReadMBps() > 0);
    assertTrue(result.disk().randomReadIops() > 0);
    assertEquals(data.toString(), result.disk().path());
    assertFalse(result.finishedAt().isBefore(result.startedAt()));
    try (var files = Files.list(data)) {
      assertEquals(0, files.count(), "the benchmark file is deleted");
    }
  }

  @Test
  void progressRisesToOneHundred() throws Exception {
    RecordingJob job = new RecordingJob();
    new HostBenchmark(SMALL, data, Clock.systemUTC(), 1).run(job);
    for (int i = 1; i < job.percents.size(); i++) {
      assertTrue(job.percents.get(i) >= job.percents.get(i - 1), "progress never goes back: " + job.percents);
    }
    assertEquals(100.0, job.percents.get(job.percents.size() - 1));
    assertTrue(job.messages.contains("disk: sequential write"));
  }

  @Test
  void cancellationDuringTheDiskPhaseStopsAndDeletesTheFile() {
    RecordingJob job = new RecordingJob();
    job.onProgress = () -> {
      if (job.messages.get(job.messages.size() - 1).startsWith("disk")) {
        job.cancelled = true;
      }
    };
    assertThrows(CancellationException.class, () -> new HostBenchmark(SMALL, data, Clock.systemUTC(), 3).run(job));
    assertFalse(Files.exists(data.resolve(".powerverse-benchmark.tmp")));
  }
}
