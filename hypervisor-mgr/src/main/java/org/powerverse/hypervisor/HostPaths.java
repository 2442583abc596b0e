package org.powerverse.hypervisor;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the host inventory reads from: procfs, sysfs and /dev roots. Production uses "/proc",
 * "/sys", "/dev"; tests point them into a fixture tree of a real machine (STYLE.md §3).
 */
public record HostPaths(Path proc, Path sys, Path dev) {

  public HostPaths {
    Objects.requireNonNull(proc, "proc");
    Objects.requireNonNull(sys, "sys");
    Objects.requireNonNull(dev, "dev");
  }

  public static HostPaths live() {
    return new HostPaths(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));
  }

  /** A fixture tree holding proc/, sys/ and dev/ side by side. */
  public static HostPaths under(Path root) {
    return new HostPaths(root.resolve("proc"), root.resolve("sys"), root.resolve("dev"));
  }

  public static HostPaths of(HypervisorConfig config) {
    return new HostPaths(Path.of(config.procRoot()), Path.of(config.sysRoot()), Path.of(config.devRoot()));
  }
}
