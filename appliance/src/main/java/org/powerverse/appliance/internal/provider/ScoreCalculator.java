package org.powerverse.appliance.internal.provider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.powerverse.appliance.ScoreConfig;
import org.powerverse.hypervisor.BenchmarkResult;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.GpuCatalog;

/** Computes the host score from the inventory, the latest benchmark and the configured weights. Pure. */
public final class ScoreCalculator {

  private static final double GIB = 1024.0 * 1024 * 1024;
  private static final String RUN_BENCHMARK = "no benchmark has run: POST /api/v1/host/benchmark";

  private final ScoreConfig config;
  private final GpuCatalog catalog;

  public ScoreCalculator(ScoreConfig config, GpuCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
  }

  public HostScore score(HostInventory host, Optional<BenchmarkResult> benchmark, Instant now) {
    ScoreConfig.Weights w = config.weights();
    List<HostScore.Parameter> parameters = new ArrayList<>();
    HostInventory.Cpu cpu = host.cpu();
    if (cpu.baseMhz() != null) {
      add(parameters, "cpuCoreGhz", cpu.cores() * cpu.baseMhz() / 1000, "core×GHz", w.cpuCoreGhz(),
          "inventory: " + cpu.cores() + " cores × " + cpu.baseMhz() / 1000 + " GHz (" + cpu.baseMhzSource() + ")", null);
    } else {
      add(parameters, "cpuCoreGhz", 0, "core×GHz", w.cpuCoreGhz(), "inventory",
          "the CPU's base clock is unknown (no cpufreq, model name or cpuinfo MHz)");
    }
    Optional<BenchmarkResult.Cpu> cpuBench = benchmark.map(BenchmarkResult::cpu);
    add(parameters, "cpuSingleThreadMBps", cpuBench.map(BenchmarkResult.Cpu::singleThreadMBps).orElse(0.0), "MB/s",
        w.cpuSingleThreadMBps(), "benchmark", cpuBench.isEmpty() ? RUN_BENCHMARK : null);
    add(parameters, "cpuMultiThreadMBps", cpuBench.map(BenchmarkResult.Cpu::multiThreadMBps).orElse(0.0), "MB/s",
        w.cpuMultiThreadMBps(), "benchmark", cpuBench.isEmpty() ? RUN_BENCHMARK : null);
    add(parameters, "memoryGib", host.memory().totalBytes() / GIB, "GiB", w.memoryGib(), "inventory", null);
    add(parameters, "memoryBandwidthGBps", benchmark.map(b -> b.memory().copyGBps()).orElse(0.0), "GB/s",
        w.memoryBandwidthGBps(), "benchmark", benchmark.isEmpty() ? RUN_BENCHMARK : null);

    double tflops = 0;
    double gpuMemoryGib = 0;
    List<String> unknown = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (HostInventory.Gpu gpu : host.gpus()) {
      String id = gpu.vendorId() + ":" + gpu.deviceId();
      ScoreConfig.GpuModel configured = config.gpus().get(id);
      Optional<GpuCatalog.Model> known = catalog.find(id);
      if (configured != null) {
        tflops += configured.fp32Tflops();
        gpuMemoryGib += configured.memoryMiB() / 1024.0;
        sources.add(id + " from config");
      } else if (known.isPresent()) {
        tflops += known.get().fp32Tflops();
        gpuMemoryGib += (gpu.memoryBytes() != null ? gpu.memoryBytes() / GIB : known.get().memoryMiB() / 1024.0);
        sources.add(id + " " + known.get().name());
      } else {
        unknown.add(id);
        if (gpu.memoryBytes() != null) {
          gpuMemoryGib += gpu.memoryBytes() / GIB;
        }
      }
    }
    String gpuNote = unknown.isEmpty() ? null
        : "unknown GPU model(s) " + unknown + " count 0 TFLOPS: add them under provider.score.gpus";
    String gpuSource = host.gpus().isEmpty() ? "inventory: no GPU" : "GPU table: " + String.join(", ", sources);
    add(parameters, "gpuFp32Tflops", tflops, "TFLOPS", w.gpuFp32Tflops(), gpuSource, gpuNote);
    add(parameters, "gpuMemoryGib", gpuMemoryGib, "GiB", w.gpuMemoryGib(), gpuSource, gpuNote);

    double diskGib = host.disks().stream().filter(d -> !d.removable()).mapToLong(HostInventory.Disk::sizeBytes).sum() / GIB;
    add(parameters, "diskGib", diskGib, "GiB", w.diskGib(), "inventory: fixed disks", null);
    add(parameters, "diskSequentialReadMBps", benchmark.map(b -> b.disk().sequentialReadMBps()).orElse(0.0), "MB/s",
        w.diskSequentialReadMBps(), "benchmark", diskNote(benchmark));
    add(parameters, "diskRandomReadIops", benchmark.map(b -> b.disk().randomReadIops()).orElse(0.0), "IOPS",
        w.diskRandomReadIops(), "benchmark", diskNote(benchmark));

    if (config.bandwidthMbps() != null) {
      add(parameters, "networkMbps", config.bandwidthMbps(), "Mbit/s", w.networkMbps(), "config", null);
    } else {
      int fastest = host.nics().stream().filter(n -> n.speedMbps() != null).mapToInt(HostInventory.Nic::speedMbps)
          .max().orElse(0);
      add(parameters, "networkMbps", fastest, "Mbit/s", w.networkMbps(), "inventory: fastest NIC link",
          fastest == 0 ? "no NIC reports a link speed: set provider.score.bandwidthMbps"
              : "link speed, not measured uplink: set provider.score.bandwidthMbps to the real uplink");
    }
    double total = parameters.stream().mapToDouble(HostScore.Parameter::points).sum();
    return new HostScore(round(total), parameters, benchmark.map(BenchmarkResult::jobId).orElse(null), now);
  }

  private static String diskNote(Optional<BenchmarkResult> benchmark) {
    if (benchmark.isEmpty()) {
      return RUN_BENCHMARK;
    }
    return benchmark.get().disk().directIo() ? null
        : "the data partition refused O_DIRECT (tmpfs?): the reads measured the page cache, not the disk";
  }

  private static void add(List<HostScore.Parameter> out, String name, double value, String unit, double weight,
      String source, String note) {
    double shown = round(value); // points from the value as shown, so the breakdown adds up exactly
    out.add(new HostScore.Parameter(name, shown, unit, weight, round(shown * weight), source, note));
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
