package org.powerverse.hypervisor;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * A VM as {@code GET /api/v1/vms/{name}} shows it: its desired state (spec and power) next to what
 * libvirt reports (STYLE.md §5: status beside the spec, never instead of it).
 *
 * @param name the VM's name (also the libvirt domain name)
 * @param uuid the libvirt domain UUID, fixed at create
 * @param spec what it should be
 * @param desired the power state the reconciler converges it to
 * @param state what libvirt reports now
 * @param generation bumped on every change of the desired state
 * @param createdAt when it was created
 * @param pendingConfig true when a resize waits for the next boot to apply
 * @param lastError why the last attempt to converge it failed, if it did
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Vm(
    String name,
    String uuid,
    VmSpec spec,
    PowerState desired,
    State state,
    long generation,
    Instant createdAt,
    boolean pendingConfig,
    String lastError) {

  /** The power state a VM should be in. {@code deleted}: being removed, nothing may remain. */
  public enum PowerState { running, stopped, paused, deleted }

  /** libvirt's domain state (virDomainState) plus {@code absent}: no domain defined (yet). */
  public enum State { absent, running, blocked, paused, shutdown, shutoff, crashed, pmsuspended, unknown }

  public Vm {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(desired, "desired");
    Objects.requireNonNull(state, "state");
  }
}
