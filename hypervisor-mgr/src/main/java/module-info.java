/**
 * The host side of the node: what the machine has (CPU, memory, disks, NICs, GPUs and their IOMMU
 * groups, KVM usability), how fast it is (benchmarks), and libvirt. Only
 * {@code org.powerverse.hypervisor} is API.
 */
module org.powerverse.hypervisor {
  requires transitive org.powerverse.platform;
  requires libvirt;
  requires com.sun.jna;
  requires org.slf4j;
  requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT for the disk benchmark

  exports org.powerverse.hypervisor;

  opens org.powerverse.hypervisor to com.fasterxml.jackson.databind;
  // The desired-state records stored in LMDB as JSON (VmRecord, GpuClaimRecord, request bodies).
  opens org.powerverse.hypervisor.internal to com.fasterxml.jackson.databind;
}
