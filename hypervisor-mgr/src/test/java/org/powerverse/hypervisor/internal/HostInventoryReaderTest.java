package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.HostInventory.Gpu;
import org.powerverse.hypervisor.HostInventory.PciFunction;
import org.powerverse.hypervisor.HostPaths;

/** The inventory of fixture trees of real machines (see src/test/fixtures/README.md). */
class HostInventoryReaderTest {

  private static final Path FIXTURES = Path.of("src/test/fixtures");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);
  private static final long GIB = 1L << 30;

  private static HostInventory read(String machine) {
    return read(machine, FIXTURES.resolve("pci.ids"));
  }

  private static HostInventory read(String machine, Path pciIds) {
    return new HostInventoryReader(HostPaths.under(FIXTURES.resolve("sysfs").resolve(machine)), pciIds, CLOCK).read();
  }

  private static Map<String, Gpu> gpusByAddress(HostInventory inventory) {
    return inventory.gpus().stream().collect(Collectors.toMap(Gpu::address, Function.identity()));
  }

  private static Map<String, String> roles(Gpu gpu) {
    return gpu.groupDevices().stream().collect(Collectors.toMap(PciFunction::address, PciFunction::role));
  }

  @Test
  void ciBoxIsAParavirtualGuestThatMustUseTcg() {
    HostInventory host = read("ci-box");
    assertEquals("ci-box", host.hostname());
    assertEquals("AuthenticAMD", host.cpu().vendor());
    assertEquals(1, host.cpu().sockets());
    assertEquals(2, host.cpu().cores());
    assertEquals(2, host.cpu().threads());
    assertNull(host.cpu().virtualization());
    assertFalse(host.kvm().usable());
    assertEquals("tcg", host.kvm().mode());
    assertEquals("kvm_pvm", host.kvm().module());
    assertTrue(host.kvm().reason().contains("paravirtual nested KVM"), host.kvm().reason());
    assertFalse(host.iommu().enabled());
    assertEquals(List.of(), host.gpus());
    // loop and zram devices are not disks; lo and the ifb devices are not NICs.
    assertEquals(List.of("vda"), host.disks().stream().map(HostInventory.Disk::name).toList());
    assertEquals("virtio", host.disks().get(0).transport());
    assertTrue(host.disks().get(0).sizeBytes() > GIB);
    assertEquals(List.of("eth0"), host.nics().stream().map(HostInventory.Nic::name).toList());
    assertEquals("virtio_net", host.nics().get(0).driver());
  }

  @Test
  void workstationGpusEachPassThroughWithTheirAudioFunction() {
    HostInventory host = read("workstation-dual-gpu");
    Map<String, Gpu> gpus = gpusByAddress(host);
    assertEquals(2, gpus.size());
    Gpu first = gpus.get("0000:0b:00.0");
    assertEquals("NVIDIA Corporation", first.vendorName());
    assertEquals("GA102 [GeForce RTX 3090]", first.deviceName());
    assertEquals("VGA compatible controller", first.pciClass());
    assertEquals(27, first.iommuGroup());
    assertEquals(Map.of("0000:0b:00.0", "gpu", "0000:0b:00.1", "companion"), roles(first));
    assertTrue(first.passthrough().ready());
    assertNull(first.passthrough().reason());
    assertEquals(24 * GIB, first.memoryBytes());
    assertTrue(first.bootVga());
    Gpu second = gpus.get("0000:0c:00.0");
    assertEquals(28, second.iommuGroup());
    assertTrue(second.passthrough().ready());
    assertFalse(second.bootVga());

    assertEquals(16, host.cpu().cores());
    assertEquals(32, host.cpu().threads());
    assertEquals("svm", host.cpu().virtualization());
    assertEquals(3400.0, host.cpu().baseMhz());
    assertEquals("cpuinfo cpu MHz", host.cpu().baseMhzSource());
    assertTrue(host.kvm().usable());
    assertEquals("kvm", host.kvm().mode());
    assertEquals("kvm_amd", host.kvm().module());
    assertTrue(host.iommu().enabled());
    assertEquals(9, host.iommu().groups());
    // virbr0 is a bridge, not a NIC.
    assertEquals(List.of("enp5s0"), host.nics().stream().map(HostInventory.Nic::name).toList());
    assertEquals(1000, host.nics().get(0).speedMbps());
    assertEquals("Samsung SSD 980 PRO 2TB", host.disks().get(0).model());
    assertEquals("nvme", host.disks().get(0).transport());
  }

  @Test
  void multiFunctionGpuKeepsAllItsFunctionsAndTheRootPort() {
    HostInventory host = read("gpu-multifunction");
    Map<String, Gpu> gpus = gpusByAddress(host);
    Gpu rtx = gpus.get("0000:01:00.0");
    assertEquals(Map.of(
        "0000:00:01.0", "bridge",
        "0000:01:00.0", "gpu",
        "0000:01:00.1", "companion",
        "0000:01:00.2", "companion",
        "0000:01:00.3", "companion"), roles(rtx));
    assertTrue(rtx.passthrough().ready());
    PciFunction ucsi = rtx.groupDevices().stream().filter(f -> f.address().equals("0000:01:00.3")).findFirst().orElseThrow();
    assertEquals("0c80", ucsi.classCode());
    assertEquals("Serial bus controller", ucsi.className());
    assertEquals("nvidia-gpu", ucsi.driver());
    Gpu igpu = gpus.get("0000:00:02.0");
    assertTrue(igpu.bootVga());
    assertTrue(igpu.passthrough().ready());
    assertEquals("i915", igpu.driver());

    assertEquals(3600.0, host.cpu().baseMhz());
    assertEquals("model name", host.cpu().baseMhzSource());
    assertEquals("vmx", host.cpu().virtualization());
    assertEquals(8, host.memory().hugePagesTotal());
    assertEquals(GIB, host.memory().hugePageSizeBytes());
    HostInventory.Disk hdd = host.disks().stream().filter(d -> d.name().equals("sda")).findFirst().orElseThrow();
    assertEquals("sata", hdd.transport());
    assertTrue(hdd.rotational());
    assertEquals("WDC WD40EZRZ-00G", hdd.model());
    assertEquals(7814037168L * 512, hdd.sizeBytes());
  }

  @Test
  void serverGpuSharingAGroupWithANicIsNotPassthroughReady() {
    HostInventory host = read("server-shared-group");
    Map<String, Gpu> gpus = gpusByAddress(host);
    Gpu shared = gpus.get("0000:43:00.0");
    assertEquals("3D controller", shared.pciClass());
    assertFalse(shared.passthrough().ready());
    assertEquals(List.of("0000:44:00.0"), shared.passthrough().blockers());
    String reason = shared.passthrough().reason();
    assertTrue(reason.startsWith("IOMMU group 30 also holds 0000:44:00.0 (Ethernet controller, driver mlx5_core)"), reason);
    assertFalse(reason.toLowerCase().contains("acs override"), "never suggest the ACS override: " + reason);
    // The switch's ports are bridges: allowed in the group, not blockers.
    assertEquals("bridge", roles(shared).get("0000:41:00.0"));
    assertEquals("bridge", roles(shared).get("0000:42:08.0"));
    assertEquals(0, shared.numaNode());

    Gpu alone = gpus.get("0000:c1:00.0");
    assertTrue(alone.passthrough().ready());
    assertEquals(1, alone.numaNode());
    assertEquals(40 * GIB, alone.memoryBytes());

    Gpu bmc = gpus.get("0000:c3:00.0");
    assertEquals("ASPEED Graphics Family", bmc.deviceName());
    assertEquals("bridge", roles(bmc).get("0000:c2:00.0"));
    assertTrue(bmc.passthrough().ready());
    assertTrue(bmc.bootVga());
    assertNull(bmc.memoryBytes(), "an unknown model's memory is left out, not guessed");

    assertEquals(2, host.cpu().sockets());
    assertEquals(32, host.cpu().cores());
    assertEquals(64, host.cpu().threads());
    assertEquals(3, host.disks().size());
    assertEquals(100000, host.nics().stream().filter(n -> n.name().equals("ens1f0np0")).findFirst().orElseThrow().speedMbps());
  }

  @Test
  void laptopWithoutIommuSaysHowToTurnItOn() {
    HostInventory host = read("laptop-no-iommu");
    assertFalse(host.iommu().enabled());
    assertTrue(host.iommu().reason().contains("intel_iommu=on"), host.iommu().reason());
    assertEquals(2, host.gpus().size());
    for (Gpu gpu : host.gpus()) {
      assertNull(gpu.iommuGroup());
      assertFalse(gpu.passthrough().ready());
      assertTrue(gpu.passthrough().reason().startsWith("the IOMMU is off: "), gpu.passthrough().reason());
    }
    assertEquals(3000.0, host.cpu().baseMhz());
    assertEquals("cpufreq base_frequency", host.cpu().baseMhzSource());
    assertEquals(4, host.cpu().cores());
    assertEquals(8, host.cpu().threads());
    HostInventory.Nic wifi = host.nics().get(0);
    assertEquals("down", wifi.state());
    assertNull(wifi.speedMbps());
    HostInventory.Disk stick = host.disks().stream().filter(d -> d.name().equals("sda")).findFirst().orElseThrow();
    assertEquals("usb", stick.transport());
    assertTrue(stick.removable());
  }

  @Test
  void withoutPciIdsNamesComeFromTheGpuCatalogAndBuiltInClassNames() {
    HostInventory host = read("workstation-dual-gpu", FIXTURES.resolve("no-such-pci.ids"));
    Gpu gpu = gpusByAddress(host).get("0000:0b:00.0");
    assertNull(gpu.vendorName());
    assertEquals("GeForce RTX 3090", gpu.deviceName());
    assertEquals("VGA compatible controller", gpu.pciClass());
    assertEquals("Audio device", gpu.groupDevices().get(1).className());
  }
}
