package org.powerverse.hypervisor;

import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/**
 * How VMs are admitted and reconciled; meant as the {@code hypervisor.vms} config section (not yet
 * part of NodeConfig: the supervisor uses these defaults until it is wired in).
 */
@Doc("How VMs are admitted and reconciled.")
public record VmsConfig(
    @Doc("MiB of host memory VMs may not use (the node, the page cache); admission counts the rest.")
        Long reservedMemoryMiB,
    @Doc("MiB VMs may use in all, overriding host memory minus reservedMemoryMiB (tests, shared hosts).")
        Long memoryCapacityMiB,
    @Doc("Seconds between periodic reconciliations of libvirt with the desired state.") Integer reconcileSeconds,
    @Doc("Seconds a shutdown waits for the guest to power off (ACPI) before forcing it off, unless the request says.")
        Integer shutdownTimeoutSeconds) {

  public static final long DEFAULT_RESERVED_MEMORY_MIB = 1024;
  public static final int DEFAULT_RECONCILE_SECONDS = 30;
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_SECONDS = 60;

  public VmsConfig {
    reservedMemoryMiB = Check.range("reservedMemoryMiB",
        Check.orDefault(reservedMemoryMiB, DEFAULT_RESERVED_MEMORY_MIB), 0, 1L << 30);
    Check.that(memoryCapacityMiB == null || memoryCapacityMiB >= 0, "memoryCapacityMiB",
        "must be >= 0, got " + memoryCapacityMiB);
    reconcileSeconds = Check.range("reconcileSeconds",
        Check.orDefault(reconcileSeconds, DEFAULT_RECONCILE_SECONDS), 1, 3600);
    shutdownTimeoutSeconds = Check.range("shutdownTimeoutSeconds",
        Check.orDefault(shutdownTimeoutSeconds, DEFAULT_SHUTDOWN_TIMEOUT_SECONDS), 0, 3600);
  }
}
