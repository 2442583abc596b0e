package org.powerverse.hypervisor.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.powerverse.hypervisor.Vm;
import org.powerverse.hypervisor.VmSpec;

/**
 * One VM's desired state as stored in LMDB table {@code vms} (key: name). Written before libvirt is
 * touched; the reconciler converges libvirt to it.
 *
 * @param spec what the VM should be
 * @param uuid its domain UUID, fixed at create so the domain can be redefined in place
 * @param desired the power state to converge to; {@code deleted} until everything is gone
 * @param generation bumped on each change
 * @param createdAt when it was admitted
 * @param shutdownDeadline while a graceful shutdown runs: the reconciler leaves the guest running
 *     until then, and forces it off after (so a supervisor crash mid-shutdown still ends off)
 * @param pendingConfig a resize was written to the domain config while it ran (applies at next boot)
 * @param lastError why the last convergence failed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmRecord(
    VmSpec spec,
    UUID uuid,
    Vm.PowerState desired,
    long generation,
    Instant createdAt,
    Instant shutdownDeadline,
    boolean pendingConfig,
    String lastError) {

  public VmRecord {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(createdAt, "createdAt");
  }

  String name() {
    return spec.name();
  }

  VmRecord withDesired(Vm.PowerState next) {
    return new VmRecord(spec, uuid, next, generation + 1, createdAt, null, pendingConfig, lastError);
  }

  VmRecord withShutdownDeadline(Instant deadline) {
    return new VmRecord(spec, uuid, Vm.PowerState.stopped, generation + 1, createdAt, deadline, pendingConfig,
        lastError);
  }

  VmRecord withSpec(VmSpec next, boolean pending) {
    return new VmRecord(next, uuid, desired, generation + 1, createdAt, shutdownDeadline, pending, lastError);
  }

  VmRecord withPendingConfig(boolean pending) {
    return new VmRecord(spec, uuid, desired, generation, createdAt, shutdownDeadline, pending, lastError);
  }

  VmRecord withLastError(String error) {
    return new VmRecord(spec, uuid, desired, generation, createdAt, shutdownDeadline, pendingConfig, error);
  }
}
