package org.powerverse.hypervisor;

import java.nio.file.Path;
import java.time.Clock;
import org.powerverse.hypervisor.internal.HostInventoryReader;
import org.powerverse.hypervisor.internal.DefaultHypervisorSubsystem;

/** Entry points of the hypervisor module. */
public final class Hypervisor {

  private Hypervisor() {}

  /** The subsystem the supervisor runs: libvirt connection, host routes, benchmarks. */
  public static HypervisorSubsystem subsystem(HypervisorConfig config) {
    return new DefaultHypervisorSubsystem(config);
  }

  /** The same, with VM admission and reconciliation settings (the {@code hypervisor.vms} section to be). */
  public static HypervisorSubsystem subsystem(HypervisorConfig config, VmsConfig vms) {
    return new DefaultHypervisorSubsystem(config, vms);
  }

  /** Reads the inventory once, without a running supervisor ({@code ./powerverse host}). */
  public static HostInventory readInventory(HypervisorConfig config, Clock clock) {
    return new HostInventoryReader(HostPaths.of(config), Path.of(config.pciIdsPath()), clock).read();
  }
}
