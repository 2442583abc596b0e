package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.HostPaths;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/**
 * The inventory of the machine the tests run on, checked against OSHI (an inventory library no one
 * here wrote) and nproc. OSHI reads /proc and /sys at fixed, JVM-global paths and names GPUs by
 * shelling out to lspci, so the production reader is our own re-rootable one; OSHI is the oracle.
 */
class LiveHostInventoryTest {

  private static final HostInventory LIVE =
      new HostInventoryReader(HostPaths.live(), Path.of("/usr/share/misc/pci.ids"), Clock.systemUTC()).read();
  private static final HardwareAbstractionLayer OSHI = new SystemInfo().getHardware();

  @Test
  void logicalCpusEqualNproc() throws IOException, InterruptedException {
    Process nproc = new ProcessBuilder("nproc", "--all").start();
    int expected = Integer.parseInt(new String(nproc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    assertEquals(0, nproc.waitFor());
    assertEquals(expected, LIVE.cpu().threads());
  }

  @Test
  void coresAndSocketsAgreeWithOshi() {
    assertEquals(OSHI.getProcessor().getPhysicalProcessorCount(), LIVE.cpu().cores());
    assertEquals(OSHI.getProcessor().getPhysicalPackageCount(), LIVE.cpu().sockets());
    assertEquals(OSHI.getProcessor().getLogicalProcessorCount(), LIVE.cpu().threads());
    assertEquals(OSHI.getProcessor().getProcessorIdentifier().getName().strip(), LIVE.cpu().model());
  }

  @Test
  void memoryTotalAgreesWithOshi() {
    assertEquals(OSHI.getMemory().getTotal(), LIVE.memory().totalBytes());
    assertTrue(LIVE.memory().availableBytes() > 0 && LIVE.memory().availableBytes() <= LIVE.memory().totalBytes());
  }

  @Test
  void everyNicHasTheMacOshiSees() {
    Map<String, String> oshiMacs = OSHI.getNetworkIFs(true).stream()
        .collect(Collectors.toMap(NetworkIF::getName, NetworkIF::getMacaddr, (a, b) -> a));
    assertTrue(!LIVE.nics().isEmpty(), "this machine has at least one physical NIC");
    for (HostInventory.Nic nic : LIVE.nics()) {
      assertEquals(oshiMacs.get(nic.name()), nic.mac(), nic.name());
    }
  }

  @Test
  void diskSizesAgreeWithOshi() {
    Map<String, Long> oshiSizes = OSHI.getDiskStores().stream()
        .collect(Collectors.toMap(d -> Path.of(d.getName()).getFileName().toString(), d -> d.getSize(), (a, b) -> a));
    assertTrue(!LIVE.disks().isEmpty(), "this machine has at least one disk");
    for (HostInventory.Disk disk : LIVE.disks()) {
      assertEquals(oshiSizes.get(disk.name()), disk.sizeBytes(), disk.name());
    }
  }
}
