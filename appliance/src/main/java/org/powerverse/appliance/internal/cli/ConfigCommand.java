package org.powerverse.appliance.internal.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.platform.ConfigDocs;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./powerverse config}: the config reference, the defaults, and a checker. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "The config file: reference, defaults, check.",
    subcommands = {ConfigCommand.Docs.class, ConfigCommand.Defaults.class, ConfigCommand.CheckFile.class})
final class ConfigCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  static final String PREAMBLE = """
      # Configuration reference

      The node reads one YAML file: `./powerverse run --config FILE`, else `DATA/config/powerverse.yaml`
      if it exists, else the defaults below (an empty file gives the same node). Every key is optional.
      A key that is not listed here, or a value of the wrong type or out of range, stops start-up with the
      key's full path and what was expected, e.g. `api.port: must be between 0 and 65535, got 70000`.
      Check a file without starting anything: `./powerverse config check FILE`.

      This page is generated from the code (`./powerverse config docs > docs/configuration.md`); a test
      fails when the two differ.
      """;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The reference as Markdown (docs/configuration.md). */
  static String markdown() {
    return ConfigDocs.markdown(NodeConfig.class, PREAMBLE);
  }

  @Command(name = "docs", description = "Print the config reference (Markdown).")
  static final class Docs implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(markdown());
      spec.commandLine().getOut().flush();
      return RootCommand.OK;
    }
  }

  @Command(name = "defaults", description = "Print the default config as YAML.")
  static final class Defaults implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(ConfigLoader.toYaml(ConfigLoader.defaults(NodeConfig.class)));
      spec.commandLine().getOut().flush();
      return RootCommand.OK;
    }
  }

  @Command(name = "check", description = "Check a config file; exit 3 with the key's path when it is wrong.")
  static final class CheckFile implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE") Path file;

    @Override
    public Integer call() {
      try {
        ConfigLoader.load(file, NodeConfig.class);
        spec.commandLine().getOut().println(file + ": valid");
        return RootCommand.OK;
      } catch (ConfigException e) {
        spec.commandLine().getErr().println(e.getMessage());
        return RootCommand.BAD_CONFIG;
      }
    }
  }
}
