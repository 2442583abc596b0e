package org.powerverse.chain;

import java.util.Objects;
import org.powerverse.chain.internal.ChainSubsystem;
import org.powerverse.platform.Subsystem;

/** Creates the {@code chain} subsystem for the supervisor. */
public final class ChainSubsystems {

  private ChainSubsystems() {}

  public static Subsystem create(ChainConfig config) {
    return new ChainSubsystem(Objects.requireNonNull(config, "config"), SenderRecovery.fastest());
  }
}
