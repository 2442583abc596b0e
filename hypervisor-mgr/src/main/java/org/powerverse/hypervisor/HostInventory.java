package org.powerverse.hypervisor;

import java.time.Instant;
import java.util.List;

/**
 * What the host has, as {@code GET /api/v1/host} and {@code ./powerverse host} show it. Read from
 * procfs and sysfs (their roots are configurable, so tests read fixture trees of real machines).
 */
public record HostInventory(
    String hostname,
    Cpu cpu,
    Memory memory,
    List<Disk> disks,
    List<Nic> nics,
    List<Gpu> gpus,
    Kvm kvm,
    Iommu iommu,
    Instant readAt) {

  public HostInventory {
    disks = List.copyOf(disks);
    nics = List.copyOf(nics);
    gpus = List.copyOf(gpus);
  }

  /**
   * @param model the CPU's model name
   * @param vendor GenuineIntel, AuthenticAMD, ...
   * @param sockets physical packages
   * @param cores physical cores over all sockets
   * @param threads logical CPUs online
   * @param baseMhz nominal clock; null when nothing reports it
   * @param baseMhzSource where baseMhz came from (cpufreq base_frequency, model name, cpuinfo)
   * @param virtualization the CPU's hardware virtualization flag: vmx, svm, or null
   */
  public record Cpu(
      String model,
      String vendor,
      int sockets,
      int cores,
      int threads,
      Double baseMhz,
      String baseMhzSource,
      String virtualization) {}

  /** Bytes of memory, and huge pages reserved (for VM backing). */
  public record Memory(long totalBytes, long availableBytes, long hugePagesTotal, long hugePageSizeBytes) {}

  /**
   * A whole block device (not a partition).
   *
   * @param transport nvme, sata/scsi, virtio, mmc, or unknown
   */
  public record Disk(String name, String model, long sizeBytes, boolean rotational, boolean removable, String transport) {}

  /**
   * A physical network interface.
   *
   * @param speedMbps negotiated link speed; null when the link is down or the driver does not say
   * @param state operstate: up, down, unknown, ...
   */
  public record Nic(String name, String mac, Integer speedMbps, String state, String driver) {}

  /**
   * A GPU or accelerator found on the PCI bus.
   *
   * @param address PCI address (domain:bus:slot.function)
   * @param pciClass display or accelerator class name
   * @param driver the kernel driver bound now (nvidia, amdgpu, vfio-pci, ...); null if none
   * @param iommuGroup its IOMMU group; null when the IOMMU is off
   * @param passthrough whether the group can be passed to a VM as it is, and if not, why not
   * @param groupDevices every device in its IOMMU group and what it is
   * @param memoryBytes video memory where the driver reports it (amdgpu) or the model is known
   * @param bootVga whether the firmware used it as the boot display (the host's console)
   */
  public record Gpu(
      String address,
      String vendorId,
      String deviceId,
      String vendorName,
      String deviceName,
      String pciClass,
      String driver,
      Integer iommuGroup,
      Passthrough passthrough,
      List<PciFunction> groupDevices,
      Long memoryBytes,
      Integer numaNode,
      boolean bootVga) {

    public Gpu {
      groupDevices = List.copyOf(groupDevices);
    }
  }

  /**
   * Whether a GPU's IOMMU group can go to a VM: only if every device in it is the GPU, one of its
   * companion functions on the same slot (HDMI audio, USB-C, UCSI) or a PCI bridge.
   *
   * @param ready true when it can
   * @param reason why not, naming the blocking device; null when ready
   * @param blockers the addresses of the devices that block it
   */
  public record Passthrough(boolean ready, String reason, List<String> blockers) {
    public Passthrough {
      blockers = List.copyOf(blockers);
    }
  }

  /**
   * One PCI function in an IOMMU group.
   *
   * @param role gpu, companion (same slot as the GPU), bridge, or other
   */
  public record PciFunction(String address, String classCode, String className, String vendorId, String deviceId,
      String driver, String role) {}

  /**
   * Whether KVM can run ordinary guests here. A /dev/kvm without vmx/svm (a paravirtual nested KVM
   * such as kvm_pvm) cannot, so VMs then run under TCG (software emulation).
   *
   * @param usable whether VMs can use KVM
   * @param mode "kvm" when usable, else "tcg"
   * @param devKvm whether /dev/kvm exists
   * @param cpuFlag vmx, svm, or null
   * @param module the KVM kernel module loaded (kvm_intel, kvm_amd, kvm_pvm), or null
   * @param reason why KVM is not usable; null when it is
   */
  public record Kvm(boolean usable, String mode, boolean devKvm, String cpuFlag, String module, String reason) {}

  /**
   * Whether an IOMMU is active (needed for GPU passthrough).
   *
   * @param groups how many IOMMU groups the kernel made
   * @param reason why it is off, with what to do; null when enabled
   */
  public record Iommu(boolean enabled, int groups, String reason) {}
}
