package org.powerverse.appliance;

import org.powerverse.appliance.internal.cli.RootCommand;

/** {@code ./powerverse}: the supervisor and its CLI. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    // Vert.x logs through SLF4J like everything else (it defaults to java.util.logging).
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    System.exit(RootCommand.commandLine().execute(args));
  }
}
