package org.powerverse.hypervisor;

import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/** The {@code hypervisor} config section. */
@Doc("The hypervisor: libvirt, host inventory and benchmarks.")
public record HypervisorConfig(
    @Doc("Whether this node manages VMs through libvirt; when false the host inventory and benchmarks still work.")
        Boolean enabled,
    @Doc("libvirt connection URI (`./powerverse run --libvirt-uri` overrides it).") String libvirtUri,
    @Doc("Root of the procfs the host inventory reads; tests point it at a fixture tree.") String procRoot,
    @Doc("Root of the sysfs the host inventory reads.") String sysRoot,
    @Doc("Root of the device tree (for /dev/kvm, /dev/vfio).") String devRoot,
    @Doc("The PCI ID database that names devices (Debian package `pci.ids`); names are left out if it is missing.")
        String pciIdsPath,
    @Doc("How long one read of the host inventory is reused, in seconds.") Integer inventoryCacheSeconds,
    @Doc("Seconds between attempts to reach libvirt while it is unreachable, at most (backoff starts at 1 s).")
        Integer reconnectMaxSeconds,
    @Doc("What the host benchmark measures.") BenchmarkConfig benchmark) {

  public static final String DEFAULT_LIBVIRT_URI = "qemu:///system";
  public static final String DEFAULT_PCI_IDS = "/usr/share/misc/pci.ids";
  public static final int DEFAULT_INVENTORY_CACHE_SECONDS = 10;
  public static final int DEFAULT_RECONNECT_MAX_SECONDS = 60;

  public HypervisorConfig {
    enabled = Check.orDefault(enabled, true);
    libvirtUri = Check.nonBlank("libvirtUri", Check.orDefault(libvirtUri, DEFAULT_LIBVIRT_URI));
    procRoot = absolute("procRoot", Check.orDefault(procRoot, "/proc"));
    sysRoot = absolute("sysRoot", Check.orDefault(sysRoot, "/sys"));
    devRoot = absolute("devRoot", Check.orDefault(devRoot, "/dev"));
    pciIdsPath = absolute("pciIdsPath", Check.orDefault(pciIdsPath, DEFAULT_PCI_IDS));
    inventoryCacheSeconds = Check.range("inventoryCacheSeconds",
        Check.orDefault(inventoryCacheSeconds, DEFAULT_INVENTORY_CACHE_SECONDS), 0, 3600);
    reconnectMaxSeconds = Check.range("reconnectMaxSeconds",
        Check.orDefault(reconnectMaxSeconds, DEFAULT_RECONNECT_MAX_SECONDS), 1, 3600);
    benchmark = Check.orDefault(benchmark, new BenchmarkConfig(null, null, null, null));
  }

  private static String absolute(String field, String path) {
    Check.that(path.startsWith("/"), field, "must be an absolute path, got \"" + path + "\"");
    return path;
  }

  public HypervisorConfig withLibvirtUri(String uri) {
    return new HypervisorConfig(enabled, uri, procRoot, sysRoot, devRoot, pciIdsPath, inventoryCacheSeconds,
        reconnectMaxSeconds, benchmark);
  }

  /** The {@code hypervisor.benchmark} section. */
  public record BenchmarkConfig(
      @Doc("Bytes of the file the disk benchmark writes and reads on the data partition (deleted afterwards).")
          Long diskBytes,
      @Doc("Bytes of the buffers the memory-bandwidth benchmark copies.") Long memoryBytes,
      @Doc("Seconds each CPU and memory phase runs.") Double phaseSeconds,
      @Doc("Seconds the random-read disk phase runs.") Double randomReadSeconds) {

    public static final long DEFAULT_DISK_BYTES = 256L << 20;
    public static final long DEFAULT_MEMORY_BYTES = 128L << 20;
    public static final double DEFAULT_PHASE_SECONDS = 1.0;
    public static final double DEFAULT_RANDOM_READ_SECONDS = 2.0;

    public BenchmarkConfig {
      diskBytes = Check.range("diskBytes", Check.orDefault(diskBytes, DEFAULT_DISK_BYTES), 4L << 20, 64L << 30);
      Check.that(diskBytes % (1 << 20) == 0, "diskBytes", "must be a whole number of MiB, got " + diskBytes);
      memoryBytes = Check.range("memoryBytes", Check.orDefault(memoryBytes, DEFAULT_MEMORY_BYTES), 1L << 20, 16L << 30);
      phaseSeconds = Check.range("phaseSeconds", Check.orDefault(phaseSeconds, DEFAULT_PHASE_SECONDS), 0.05, 60);
      randomReadSeconds = Check.range("randomReadSeconds",
          Check.orDefault(randomReadSeconds, DEFAULT_RANDOM_READ_SECONDS), 0.05, 60);
    }
  }
}
