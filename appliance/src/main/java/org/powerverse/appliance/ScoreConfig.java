package org.powerverse.appliance;

import java.util.Map;
import java.util.TreeMap;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/**
 * The {@code provider.score} section: the whitepaper's resource score is "the sum of the product of
 * each parameter and the weight" (Market, computing power resource scoring). The weights are here so
 * a market can tune them without a release.
 */
public record ScoreConfig(
    @Doc("Points per unit of each parameter.") Weights weights,
    @Doc("The node's uplink in Mbit/s as the operator knows it; when unset the fastest NIC's link speed is used.")
        Integer bandwidthMbps,
    @Doc("GPU models the built-in table lacks or gets wrong, by PCI id (\"10de:2204\").") Map<String, GpuModel> gpus) {

  public ScoreConfig {
    weights = Check.orDefault(weights, new Weights(null, null, null, null, null, null, null, null, null, null, null));
    if (bandwidthMbps != null) {
      Check.range("bandwidthMbps", bandwidthMbps, 1, 10_000_000);
    }
    gpus = new TreeMap<>(Check.orDefault(gpus, Map.of()));
    for (String id : gpus.keySet()) {
      Check.that(id.matches("[0-9a-f]{4}:[0-9a-f]{4}"), "gpus." + id,
          "must be a PCI id: vendor:device in lower-case hex, like 10de:2204");
    }
    gpus = Map.copyOf(gpus);
  }

  /** A GPU model's figures. */
  public record GpuModel(
      @Doc("Model name.") String name,
      @Doc("Video memory in MiB.") Long memoryMiB,
      @Doc("Peak FP32 throughput in TFLOPS, as the vendor states it.") Double fp32Tflops) {
    public GpuModel {
      Check.nonBlank("name", name);
      Check.range("memoryMiB", Check.orDefault(memoryMiB, 0L), 0, 16L << 20);
      Check.range("fp32Tflops", Check.orDefault(fp32Tflops, 0.0), 0, 100_000);
    }
  }

  /** The weights: points per unit of each parameter. */
  public record Weights(
      @Doc("Per CPU core × base GHz.") Double cpuCoreGhz,
      @Doc("Per MB/s of single-thread SHA-256 (benchmark).") Double cpuSingleThreadMBps,
      @Doc("Per MB/s of all-thread SHA-256 (benchmark).") Double cpuMultiThreadMBps,
      @Doc("Per GiB of memory.") Double memoryGib,
      @Doc("Per GB/s of memory copy bandwidth (benchmark).") Double memoryBandwidthGBps,
      @Doc("Per TFLOPS of GPU FP32 peak, summed over GPUs.") Double gpuFp32Tflops,
      @Doc("Per GiB of GPU memory, summed over GPUs.") Double gpuMemoryGib,
      @Doc("Per GiB of disk, summed over disks.") Double diskGib,
      @Doc("Per MB/s of sequential read on the data partition (benchmark).") Double diskSequentialReadMBps,
      @Doc("Per 4 KiB random reads per second on the data partition (benchmark).") Double diskRandomReadIops,
      @Doc("Per Mbit/s of network bandwidth.") Double networkMbps) {

    public Weights {
      cpuCoreGhz = weight("cpuCoreGhz", cpuCoreGhz, 10);
      cpuSingleThreadMBps = weight("cpuSingleThreadMBps", cpuSingleThreadMBps, 0.05);
      cpuMultiThreadMBps = weight("cpuMultiThreadMBps", cpuMultiThreadMBps, 0.01);
      memoryGib = weight("memoryGib", memoryGib, 2);
      memoryBandwidthGBps = weight("memoryBandwidthGBps", memoryBandwidthGBps, 2);
      gpuFp32Tflops = weight("gpuFp32Tflops", gpuFp32Tflops, 10);
      gpuMemoryGib = weight("gpuMemoryGib", gpuMemoryGib, 5);
      diskGib = weight("diskGib", diskGib, 0.05);
      diskSequentialReadMBps = weight("diskSequentialReadMBps", diskSequentialReadMBps, 0.02);
      diskRandomReadIops = weight("diskRandomReadIops", diskRandomReadIops, 0.0005);
      networkMbps = weight("networkMbps", networkMbps, 0.02);
    }

    private static double weight(String field, Double value, double fallback) {
      return Check.range(field, Check.orDefault(value, fallback), 0, 1e6);
    }
  }
}
