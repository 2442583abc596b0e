package org.powerverse.hypervisor;

import org.powerverse.platform.Subsystem;

/** The hypervisor as the supervisor runs it; {@link #host()} and {@link #vms()} are available once started. */
public interface HypervisorSubsystem extends Subsystem {

  HostService host();

  /** The VMs; an {@code ApiProblem} 503 from every call while libvirt is disabled or unreachable. */
  VmService vms();
}
