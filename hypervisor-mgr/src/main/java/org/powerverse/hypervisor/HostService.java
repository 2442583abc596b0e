package org.powerverse.hypervisor;

import java.util.Optional;
import org.powerverse.platform.Job;

/** The host as the supervisor and the score see it. */
public interface HostService {

  /** The inventory, reread at most once per {@code hypervisor.inventoryCacheSeconds}. */
  HostInventory inventory();

  /** Starts a benchmark as a job; its result is kept and feeds the score. */
  Job startBenchmark();

  /** The most recent benchmark that finished. */
  Optional<BenchmarkResult> latestBenchmark();
}
