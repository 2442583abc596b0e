package org.powerverse.appliance.internal.cli;

import org.powerverse.appliance.Version;
import org.powerverse.cdn.CarCommand;
import org.powerverse.cdn.CidCommand;
import org.powerverse.chain.ChainCommand;
import org.powerverse.geo.GeoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./powerverse}: the supervisor and the tools around it. */
@Command(
    name = "powerverse",
    mixinStandardHelpOptions = true,
    versionProvider = RootCommand.VersionProvider.class,
    description = "PowerVerse Node OS: runs the node's supervisor and talks to nodes.",
    subcommands = {
      RunCommand.class,
      HostCommand.class,
      ConfigCommand.class,
      CtlCommand.class,
      TrainCommand.class,
      GeoCommand.class,
      CidCommand.class,
      CarCommand.class,
      ChainCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RootCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Exit codes every command uses. */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int BAD_CONFIG = 3;
  public static final int BAD_IDENTITY = 4;
  public static final int UNTRUSTED = 5;

  public static CommandLine commandLine() {
    CommandLine line = new CommandLine(new RootCommand());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("powerverse: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return FAILED;
    });
    return line;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints the supervisor's version. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"powerverse " + Version.get()};
    }
  }
}
