package org.powerverse.appliance.internal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.Version;
import org.powerverse.cdn.CarCommand;
import org.powerverse.cdn.CidCommand;
import org.powerverse.chain.ChainCommand;
import org.powerverse.geo.GeoCommand;
import org.powerverse.geo.GeoConfig;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;
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
      CidCommand.class,
      CarCommand.class,
      ChainCommand.class
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
    // `geo --resolution` defaults to the node's configured geo.resolution, read from the default
    // config location when there is one (commands given --config read their own).
    line.addSubcommand("geo", new GeoCommand(configuredGeoResolution()));
    line.addSubcommand("help", new CommandLine.HelpCommand());
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("powerverse: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      return FAILED;
    });
    return line;
  }

  private static int configuredGeoResolution() {
    Path file = Paths.defaultDataDir(System.getenv()).resolve("config").resolve("powerverse.yaml");
    if (!Files.isReadable(file)) {
      return GeoConfig.DEFAULT_RESOLUTION;
    }
    try {
      return ConfigLoader.load(file, NodeConfig.class).geo().resolution();
    } catch (ConfigException e) {
      return GeoConfig.DEFAULT_RESOLUTION; // `config check` and `run` report what is wrong with it
    }
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
