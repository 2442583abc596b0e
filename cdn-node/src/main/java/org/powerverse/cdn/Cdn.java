package org.powerverse.cdn;

import org.powerverse.cdn.internal.CdnSubsystem;
import org.powerverse.platform.Subsystem;

/** Entry points of the content cache module. */
public final class Cdn {

  private Cdn() {}

  /**
   * The subsystem the supervisor runs (config section {@code cdn}): blockstore, gateway listener,
   * origin fetch and the {@code /api/v1/cdn} operations. Once started, {@link CdnSubsystemHandle#service()}
   * is the service behind those operations.
   */
  public static CdnSubsystemHandle subsystem(CdnConfig config) {
    return new CdnSubsystem(config);
  }

  /** The subsystem, with access to its service once started. */
  public interface CdnSubsystemHandle extends Subsystem {
    /** The running service; throws IllegalStateException before start. */
    CdnService service();

    /** The port the gateway listens on, once started (useful with port 0); -1 when it is not listening. */
    int gatewayPort();
  }
}
