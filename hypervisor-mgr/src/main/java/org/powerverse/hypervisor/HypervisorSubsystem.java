package org.powerverse.hypervisor;

import org.powerverse.platform.Subsystem;

/** The hypervisor as the supervisor runs it; {@link #host()} is available once started. */
public interface HypervisorSubsystem extends Subsystem {

  HostService host();
}
