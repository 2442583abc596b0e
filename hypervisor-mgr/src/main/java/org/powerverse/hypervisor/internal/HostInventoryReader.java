package org.powerverse.hypervisor.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.HostInventory.Cpu;
import org.powerverse.hypervisor.HostInventory.Disk;
import org.powerverse.hypervisor.HostInventory.Gpu;
import org.powerverse.hypervisor.HostInventory.Iommu;
import org.powerverse.hypervisor.HostInventory.Kvm;
import org.powerverse.hypervisor.HostInventory.Memory;
import org.powerverse.hypervisor.HostInventory.Nic;
import org.powerverse.hypervisor.HostInventory.Passthrough;
import org.powerverse.hypervisor.HostInventory.PciFunction;
import org.powerverse.hypervisor.GpuCatalog;
import org.powerverse.hypervisor.HostPaths;

/**
 * Reads the host inventory from procfs and sysfs under configurable roots. Stateless: every call
 * reads afresh (callers memoize with a time-to-live).
 */
public final class HostInventoryReader {

  // Block devices that are not disks: loop, RAM disks, device-mapper, md, optical, floppy, nbd.
  private static final List<String> NOT_DISKS = List.of("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd");

  private final HostPaths paths;
  private final Path pciIdsFile;
  private volatile PciIds pciIds;
  private final GpuCatalog catalog;
  private final Clock clock;

  public HostInventoryReader(HostPaths paths, Path pciIdsFile, Clock clock) {
    this.paths = Objects.requireNonNull(paths, "paths");
    this.pciIdsFile = Objects.requireNonNull(pciIdsFile, "pciIdsFile");
    this.catalog = GpuCatalog.builtIn();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public HostInventory read() {
    if (pciIds == null) {
      pciIds = PciIds.load(pciIdsFile); // 1.3 MB to parse: not on the start-up path, once per reader
    }
    List<ProcParsers.Processor> processors =
        ProcParsers.cpuinfo(Sysfs.read(paths.proc().resolve("cpuinfo")).orElse(""));
    List<PciDevice> pci = PciDevice.readAll(paths.sys());
    Iommu iommu = iommu();
    return new HostInventory(
        Sysfs.read(paths.proc().resolve("sys/kernel/hostname")).orElse("localhost"),
        cpu(processors),
        memory(),
        disks(),
        nics(),
        gpus(pci, iommu),
        kvm(processors),
        iommu,
        clock.instant());
  }

  Cpu cpu(List<ProcParsers.Processor> processors) {
    Path cpus = paths.sys().resolve("devices/system/cpu");
    int threads = (int) ProcParsers.cpuListSize(Sysfs.read(cpus.resolve("online")).orElse(null))
        .orElse(processors.size());
    // Topology from sysfs (one directory per logical CPU); /proc/cpuinfo's ids as a fallback.
    Set<Long> packages = new HashSet<>();
    Set<String> cores = new HashSet<>();
    for (Path cpu : Sysfs.list(cpus)) {
      String name = cpu.getFileName().toString();
      if (!name.matches("cpu[0-9]+") || Sysfs.readLong(cpu.resolve("online")).orElse(1) == 0) {
        continue;
      }
      OptionalLong pkg = Sysfs.readLong(cpu.resolve("topology/physical_package_id"));
      OptionalLong core = Sysfs.readLong(cpu.resolve("topology/core_id"));
      if (pkg.isPresent() && core.isPresent()) {
        packages.add(pkg.getAsLong());
        cores.add(pkg.getAsLong() + ":" + core.getAsLong());
      }
    }
    if (cores.isEmpty()) {
      for (ProcParsers.Processor p : processors) {
        if (p.physicalId() != null && p.coreId() != null) {
          packages.add((long) p.physicalId());
          cores.add(p.physicalId() + ":" + p.coreId());
        }
      }
    }
    ProcParsers.Processor first = processors.isEmpty() ? null : processors.get(0);
    String model = first == null ? null : first.model();
    Double baseMhz = null;
    String source = null;
    OptionalLong baseKhz = Sysfs.readLong(cpus.resolve("cpu0/cpufreq/base_frequency"));
    OptionalDouble fromModel = ProcParsers.modelNameMhz(model);
    if (baseKhz.isPresent()) {
      baseMhz = baseKhz.getAsLong() / 1000.0;
      source = "cpufreq base_frequency";
    } else if (fromModel.isPresent()) {
      baseMhz = fromModel.getAsDouble();
      source = "model name";
    } else if (first != null && first.mhz() != null) {
      baseMhz = first.mhz();
      source = "cpuinfo cpu MHz";
    }
    return new Cpu(
        model,
        first == null ? null : first.vendor(),
        Math.max(1, packages.size()),
        cores.isEmpty() ? threads : cores.size(),
        threads,
        baseMhz,
        source,
        virtualizationFlag(processors));
  }

  private static String virtualizationFlag(List<ProcParsers.Processor> processors) {
    if (processors.isEmpty()) {
      return null;
    }
    Set<String> flags = processors.get(0).flags();
    return flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : null;
  }

  Memory memory() {
    Map<String, Long> info = ProcParsers.meminfo(Sysfs.read(paths.proc().resolve("meminfo")).orElse(""));
    return new Memory(
        info.getOrDefault("MemTotal", 0L),
        info.getOrDefault("MemAvailable", info.getOrDefault("MemFree", 0L)),
        info.getOrDefault("HugePages_Total", 0L),
        info.getOrDefault("Hugepagesize", 0L));
  }

  List<Disk> disks() {
    List<Disk> disks = new ArrayList<>();
    for (Path block : Sysfs.list(paths.sys().resolve("block"))) {
      String name = block.getFileName().toString();
      if (NOT_DISKS.stream().anyMatch(name::startsWith)) {
        continue;
      }
      long sectors = Sysfs.readLong(block.resolve("size")).orElse(0);
      if (sectors == 0) {
        continue; // an empty card reader slot
      }
      String model = Sysfs.read(block.resolve("device/model")).filter(m -> !m.isEmpty()).orElse(null);
      disks.add(new Disk(
          name,
          model,
          sectors * 512, // sysfs counts 512-byte sectors whatever the device's block size
          Sysfs.readLong(block.resolve("queue/rotational")).orElse(0) == 1,
          Sysfs.readLong(block.resolve("removable")).orElse(0) == 1,
          transport(name, Sysfs.realPath(block))));
    }
    return disks;
  }

  private static String transport(String name, String realPath) {
    if (name.startsWith("nvme")) {
      return "nvme";
    }
    if (name.startsWith("vd")) {
      return "virtio";
    }
    if (name.startsWith("mmcblk")) {
      return "mmc";
    }
    if (name.startsWith("xvd")) {
      return "xen";
    }
    if (realPath.contains("/usb")) {
      return "usb";
    }
    if (realPath.contains("/ata")) {
      return "sata";
    }
    return name.startsWith("sd") ? "scsi" : "unknown";
  }

  List<Nic> nics() {
    List<Nic> nics = new ArrayList<>();
    for (Path net : Sysfs.list(paths.sys().resolve("class/net"))) {
      if (!Files.exists(net.resolve("device"))) {
        continue; // virtual: lo, bridges, veth, tunnels
      }
      OptionalLong speed = Sysfs.readLong(net.resolve("speed"));
      nics.add(new Nic(
          net.getFileName().toString(),
          Sysfs.read(net.resolve("address")).orElse(null),
          speed.isPresent() && speed.getAsLong() > 0 ? (int) speed.getAsLong() : null,
          Sysfs.read(net.resolve("operstate")).orElse("unknown"),
          Sysfs.linkName(net.resolve("device/driver")).orElse(null)));
    }
    return nics;
  }

  List<Gpu> gpus(List<PciDevice> pci, Iommu iommu) {
    Map<Integer, List<PciDevice>> groups = new TreeMap<>();
    for (PciDevice device : pci) {
      if (device.iommuGroup() != null) {
        groups.computeIfAbsent(device.iommuGroup(), g -> new ArrayList<>()).add(device);
      }
    }
    List<Gpu> gpus = new ArrayList<>();
    for (PciDevice device : pci) {
      if (!device.isGpu()) {
        continue;
      }
      List<PciDevice> group = device.iommuGroup() == null ? List.of() : groups.get(device.iommuGroup());
      List<PciFunction> functions = group.stream()
          .sorted(Comparator.comparing(PciDevice::address))
          .map(member -> new PciFunction(member.address(), member.classCode(), member.className(pciIds),
              member.vendorId(), member.deviceId(), member.driver(), role(device, member)))
          .toList();
      String pciId = device.vendorId() + ":" + device.deviceId();
      Long memory = device.vramBytes() != null ? device.vramBytes()
          : catalog.find(pciId).map(m -> m.memoryMiB() << 20).orElse(null);
      gpus.add(new Gpu(
          device.address(),
          device.vendorId(),
          device.deviceId(),
          pciIds.vendor(device.vendorId()).orElse(null),
          pciIds.device(device.vendorId(), device.deviceId())
              .or(() -> catalog.find(pciId).map(GpuCatalog.Model::name)).orElse(null),
          device.className(pciIds),
          device.driver(),
          device.iommuGroup(),
          passthrough(device, functions, iommu),
          functions,
          memory,
          device.numaNode(),
          device.bootVga()));
    }
    return gpus;
  }

  private static String role(PciDevice gpu, PciDevice member) {
    if (member.address().equals(gpu.address())) {
      return "gpu";
    }
    if (member.slot().equals(gpu.slot())) {
      return "companion";
    }
    return member.isPciBridge() ? "bridge" : "other";
  }

  /**
   * A group can go to a VM whole or not at all (VFIO's unit of isolation). We never suggest the
   * ACS override patch: it claims isolation the hardware does not give.
   */
  static Passthrough passthrough(PciDevice gpu, List<PciFunction> group, Iommu iommu) {
    if (!iommu.enabled() || gpu.iommuGroup() == null) {
      return new Passthrough(false, "the IOMMU is off: " + iommu.reason(), List.of());
    }
    List<PciFunction> blockers = group.stream().filter(f -> f.role().equals("other")).toList();
    if (blockers.isEmpty()) {
      return new Passthrough(true, null, List.of());
    }
    StringBuilder reason = new StringBuilder("IOMMU group " + gpu.iommuGroup() + " also holds ");
    for (int i = 0; i < blockers.size(); i++) {
      PciFunction b = blockers.get(i);
      reason.append(i == 0 ? "" : ", ").append(b.address()).append(" (").append(b.className())
          .append(b.driver() == null ? "" : ", driver " + b.driver()).append(")");
    }
    reason.append(", which ").append(blockers.size() == 1 ? "is" : "are")
        .append(" not part of this GPU; a group passes to a VM whole, so this GPU cannot be passed through"
            + " while the host uses ").append(blockers.size() == 1 ? "it" : "them")
        .append(" (move the card to a slot with its own group)");
    return new Passthrough(false, reason.toString(), blockers.stream().map(PciFunction::address).toList());
  }

  Kvm kvm(List<ProcParsers.Processor> processors) {
    boolean devKvm = Files.exists(paths.dev().resolve("kvm"));
    String flag = virtualizationFlag(processors);
    String module = null;
    for (String candidate : List.of("kvm_pvm", "kvm_intel", "kvm_amd")) {
      if (Files.isDirectory(paths.sys().resolve("module").resolve(candidate))) {
        module = candidate;
        break;
      }
    }
    String reason;
    if ("kvm_pvm".equals(module) || (devKvm && flag == null)) {
      reason = "this host's KVM is a paravirtual nested KVM (" + (module == null ? "/dev/kvm" : module)
          + " without a vmx/svm CPU flag) that cannot run ordinary guests"
          + (devKvm ? "" : ", and /dev/kvm is absent") + "; VMs run under TCG (software emulation)";
    } else if (flag == null) {
      reason = "the CPU shows no vmx/svm flag: enable VT-x/AMD-V in the firmware; VMs run under TCG";
    } else if (!devKvm) {
      reason = "the CPU has " + flag + " but /dev/kvm is missing: load " + (flag.equals("vmx") ? "kvm_intel" : "kvm_amd")
          + "; VMs run under TCG";
    } else {
      reason = null;
    }
    return new Kvm(reason == null, reason == null ? "kvm" : "tcg", devKvm, flag, module, reason);
  }

  Iommu iommu() {
    int groups = Sysfs.list(paths.sys().resolve("kernel/iommu_groups")).size();
    if (groups > 0) {
      return new Iommu(true, groups, null);
    }
    String cmdline = Sysfs.read(paths.proc().resolve("cmdline")).orElse("");
    String reason = cmdline.contains("intel_iommu=on") || cmdline.contains("amd_iommu=on")
        ? "the kernel was asked for an IOMMU but made no groups: enable VT-d/AMD-Vi in the firmware"
        : "no IOMMU groups: enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on (Intel) or amd_iommu=on (AMD)";
    return new Iommu(false, 0, reason);
  }
}
