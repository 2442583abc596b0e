package org.powerverse.hypervisor.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One PCI function as sysfs shows it under /sys/bus/pci/devices/ADDRESS.
 *
 * @param classCode class and subclass as four hex digits ("0300" VGA, "0403" audio, "0604" bridge)
 * @param iommuGroup null when the IOMMU is off
 * @param vramBytes video memory the driver reports (amdgpu's mem_info_vram_total), or null
 */
record PciDevice(
    String address,
    String classCode,
    String vendorId,
    String deviceId,
    String driver,
    Integer iommuGroup,
    Integer numaNode,
    boolean bootVga,
    Long vramBytes) {

  // Names for common classes when pci.ids is not installed.
  private static final Map<String, String> CLASS_NAMES = Map.ofEntries(
      Map.entry("0300", "VGA compatible controller"),
      Map.entry("0302", "3D controller"),
      Map.entry("0380", "Display controller"),
      Map.entry("0403", "Audio device"),
      Map.entry("0c03", "USB controller"),
      Map.entry("0c80", "Serial bus controller"),
      Map.entry("0604", "PCI bridge"),
      Map.entry("0600", "Host bridge"),
      Map.entry("0601", "ISA bridge"),
      Map.entry("0108", "Non-Volatile memory controller"),
      Map.entry("0106", "SATA controller"),
      Map.entry("0200", "Ethernet controller"),
      Map.entry("1200", "Processing accelerators"));

  /** Display controllers (class 03) and processing accelerators (class 12) are GPUs for us. */
  boolean isGpu() {
    return classCode.startsWith("03") || classCode.startsWith("12");
  }

  /** PCI-to-PCI bridges (0604, 0609) may share a GPU's group; host and ISA bridges may not. */
  boolean isPciBridge() {
    return classCode.equals("0604") || classCode.equals("0609");
  }

  /** domain:bus:slot, the part that function numbers share. */
  String slot() {
    return address.substring(0, address.lastIndexOf('.'));
  }

  String className(PciIds ids) {
    return ids.className(classCode).orElse(CLASS_NAMES.getOrDefault(classCode, "class " + classCode));
  }

  /** Reads every PCI function under {@code sys}/bus/pci/devices, in address order. */
  static List<PciDevice> readAll(Path sys) {
    List<PciDevice> devices = new ArrayList<>();
    for (Path dir : Sysfs.list(sys.resolve("bus/pci/devices"))) {
      OptionalLong pciClass = Sysfs.readLong(dir.resolve("class"));
      OptionalLong vendor = Sysfs.readLong(dir.resolve("vendor"));
      OptionalLong device = Sysfs.readLong(dir.resolve("device"));
      if (pciClass.isEmpty() || vendor.isEmpty() || device.isEmpty()) {
        continue; // not a device we can describe
      }
      OptionalLong numa = Sysfs.readLong(dir.resolve("numa_node"));
      OptionalLong vram = Sysfs.readLong(dir.resolve("mem_info_vram_total"));
      devices.add(new PciDevice(
          dir.getFileName().toString(),
          String.format("%04x", pciClass.getAsLong() >> 8),
          String.format("%04x", vendor.getAsLong()),
          String.format("%04x", device.getAsLong()),
          Sysfs.linkName(dir.resolve("driver")).orElse(null),
          Sysfs.linkName(dir.resolve("iommu_group")).map(Integer::valueOf).orElse(null),
          numa.isPresent() && numa.getAsLong() >= 0 ? (int) numa.getAsLong() : null,
          Sysfs.readLong(dir.resolve("boot_vga")).orElse(0) == 1,
          vram.isPresent() ? vram.getAsLong() : null));
    }
    return devices;
  }
}
