package org.powerverse.appliance.internal.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
    description = "PowerVerse Node OS: runs the node's supervisor and talks to nodes.")
public final class RootCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Exit codes every command uses. */
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int BAD_CONFIG = 3;
  public static final int BAD_IDENTITY = 4;
  public static final int UNTRUSTED = 5;

  /**
   * The subcommands, in the order help lists them. Created on demand: picocli reflects over a
   * command's whole tree when it is added, which for all of them is a tenth of the supervisor's
   * start-up, so {@link #commandLine(String...)} adds only the one being run.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> all = new LinkedHashMap<>();
    all.put("run", RunCommand::new);
    all.put("host", HostCommand::new);
    all.put("config", ConfigCommand::new);
    all.put("ctl", CtlCommand::new);
    all.put("fleet", FleetCommand::new);
    all.put("bundle", BundleCommand::new);
    all.put("pxe-script", PxeScriptCommand::new);
    all.put("train-startup", TrainCommand::new);
    all.put("cid", CidCommand::new);
    all.put("car", CarCommand::new);
    all.put("chain", ChainCommand::new);
    // `geo --resolution` defaults to the node's configured geo.resolution, read from the default
    // config location when there is one.
    all.put("geo", () -> new GeoCommand(configuredGeoResolution()));
    // Not a method reference: picocli's HelpCommand is old bytecode the JDK 25 AOT cache excludes,
    // and an AOT-linked lambda pointing at an excluded class crashes the cache's assembly
    // (archiveHeapWriter "Metadata ... should have been archived"); an inner class is not linked.
    all.put("help", new Supplier<Object>() {
      @Override
      public Object get() {
        return new CommandLine.HelpCommand();
      }
    });
    return all;
  }

  /** Every subcommand: for help, completion and tests. */
  public static CommandLine commandLine() {
    return build(SUBCOMMANDS.keySet());
  }

  /**
   * What {@code args} needs: only the named subcommand when the first argument names one (and is
   * not help), else all of them, so usage and "did you mean" messages list everything.
   */
  public static CommandLine commandLine(String... args) {
    if (args.length > 0 && SUBCOMMANDS.containsKey(args[0]) && !args[0].equals("help")) {
      return build(List.of(args[0]));
    }
    return commandLine();
  }

  private static CommandLine build(Iterable<String> names) {
    CommandLine line = new CommandLine(new RootCommand());
    for (String name : names) {
      line.addSubcommand(name, SUBCOMMANDS.get(name).get());
    }
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
