package org.powerverse.appliance.internal.provider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.powerverse.appliance.ScoreConfig;
import org.powerverse.hypervisor.BenchmarkResult;
import org.powerverse.hypervisor.GpuCatalog;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.Hypervisor;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.platform.ConfigLoader;

/** The whitepaper's score: sum of parameter × weight, on a fixture of a real workstation. */
class ScoreCalculatorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
  private static final Path FIXTURES = Path.of("../hypervisor-mgr/src/test/fixtures");

  private static HostInventory read(String machine) {
    Path root = FIXTURES.resolve("sysfs").resolve(machine).toAbsolutePath();
    return Hypervisor.readInventory(new HypervisorConfig(false, null, root.resolve("proc").toString(),
        root.resolve("sys").toString(), root.resolve("dev").toString(),
        FIXTURES.resolve("pci.ids").toAbsolutePath().toString(), null, null, null), CLOCK);
  }

  private static HostInventory workstation() {
    return read("workstation-dual-gpu");
  }

  private static final BenchmarkResult BENCH = new BenchmarkResult("01JOB0000000000000000000AB", CLOCK.instant(),
      CLOCK.instant(), new BenchmarkResult.Cpu(2000, 30000, 32, 15), new BenchmarkResult.Memory(40, 1 << 27),
      new BenchmarkResult.Disk("/data", 1 << 28, true, 3000, 6000, 400000));

  private static HostScore.Parameter parameter(HostScore score, String name) {
    return score.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void scoreIsTheSumOfValueTimesWeight() {
    ScoreConfig config = ConfigLoader.defaults(ScoreConfig.class);
    HostScore score = new ScoreCalculator(config, GpuCatalog.builtIn()).score(workstation(), Optional.of(BENCH), CLOCK.instant());
    double sum = score.parameters().stream().mapToDouble(p -> p.value() * p.weight()).sum();
    assertEquals(sum, score.score(), 0.01);
    for (HostScore.Parameter p : score.parameters()) {
      assertEquals(p.value() * p.weight(), p.points(), 0.001, p.name());
    }
    // 16 cores × 3.4 GHz; two RTX 3090s: 2 × 35.58 TFLOPS and 2 × 24 GiB.
    assertEquals(54.4, parameter(score, "cpuCoreGhz").value(), 0.001);
    assertEquals(71.16, parameter(score, "gpuFp32Tflops").value(), 0.001);
    assertEquals(48, parameter(score, "gpuMemoryGib").value(), 0.001);
    assertEquals(30000, parameter(score, "cpuMultiThreadMBps").value());
    assertEquals(1000, parameter(score, "networkMbps").value());
    assertEquals("01JOB0000000000000000000AB", score.benchmarkJobId());
  }

  @Test
  void weightsComeFromConfig() throws Exception {
    ScoreConfig config = ConfigLoader.parse("test", "weights: {gpuFp32Tflops: 0, cpuCoreGhz: 1}\nbandwidthMbps: 250\n",
        ScoreConfig.class);
    HostScore score = new ScoreCalculator(config, GpuCatalog.builtIn()).score(workstation(), Optional.empty(), CLOCK.instant());
    assertEquals(0, parameter(score, "gpuFp32Tflops").points());
    assertEquals(54.4, parameter(score, "cpuCoreGhz").points(), 0.001);
    assertEquals(250, parameter(score, "networkMbps").value());
    assertEquals("config", parameter(score, "networkMbps").source());
    assertNull(score.benchmarkJobId());
    assertTrue(parameter(score, "diskRandomReadIops").note().contains("POST /api/v1/host/benchmark"));
  }

  @Test
  void unknownGpuCountsZeroAndSaysHowToAddIt() throws Exception {
    HostInventory server = read("server-shared-group");
    ScoreConfig defaults = ConfigLoader.defaults(ScoreConfig.class);
    HostScore score = new ScoreCalculator(defaults, GpuCatalog.builtIn()).score(server, Optional.empty(), CLOCK.instant());
    assertTrue(parameter(score, "gpuFp32Tflops").note().contains("1a03:2000"), "the ASPEED BMC display is unknown");
    assertEquals(39.0, parameter(score, "gpuFp32Tflops").value(), 0.001, "two A100 40GB at 19.5");

    ScoreConfig withAspeed = new ScoreConfig(null, null, Map.of("1a03:2000", new ScoreConfig.GpuModel("AST2600", 64L, 0.01)));
    HostScore corrected = new ScoreCalculator(withAspeed, GpuCatalog.builtIn()).score(server, Optional.empty(), CLOCK.instant());
    assertNull(parameter(corrected, "gpuFp32Tflops").note());
  }

  @Test
  void badGpuIdInConfigNamesTheKey() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(org.powerverse.platform.ConfigException.class,
        () -> ConfigLoader.parse("test", "gpus: {\"NVIDIA\": {name: x}}\n", ScoreConfig.class));
    assertTrue(e.getMessage().contains("gpus.NVIDIA: must be a PCI id"), e.getMessage());
  }
}
