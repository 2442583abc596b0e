package org.powerverse.chain;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.powerverse.chain.internal.Devnet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code powerverse chain devnet}: writes a local validator network (genesis, keys, a config per
 * validator, {@code devnet.json}) and, with {@code --start}, runs the validators as child
 * processes until Ctrl-C.
 */
@Command(
    name = "devnet",
    description = "Write a local devnet of N validators on loopback (genesis, keys, configs, devnet.json); --start runs them.",
    mixinStandardHelpOptions = true)
public final class DevnetCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--validators", required = true, paramLabel = "N", description = "How many validators (1-100).")
  int validators;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where to write it (created; must be empty).")
  Path dir;

  @Option(names = "--base-port", defaultValue = "30400", paramLabel = "P",
      description = "Validator i listens for peers on P + 2i and for JSON-RPC on P + 2i + 1 (default: ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--accounts", defaultValue = "4", paramLabel = "K",
      description = "Prefunded accounts, 1,000,000 coins each (default: ${DEFAULT-VALUE}).")
  int accounts;

  @Option(names = "--chain-id", defaultValue = "7777", description = "Chain id (default: ${DEFAULT-VALUE}).")
  long chainId;

  @Option(names = "--block-time-ms", defaultValue = "200",
      description = "Target block time: each consensus timeout (default: ${DEFAULT-VALUE}).")
  long blockTimeMillis;

  @Option(names = "--start", description = "Run the validators (child processes, logs in DIR/vI/validator.log) until Ctrl-C.")
  boolean start;

  /** Key material comes from here; a test may set a seeded one. */
  java.util.Random random = new SecureRandom();
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Devnet.Layout layout;
    try {
      layout = Devnet.write(dir, validators, accounts, basePort, chainId, blockTimeMillis,
          clock.instant().getEpochSecond(), random);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    out.println("devnet of " + validators + " validators written to " + layout.dir() + " (devnet.json lists RPC URLs and funded keys)");
    for (int i = 0; i < validators; i++) {
      out.println("  v" + i + ": " + String.join(" ", validatorCommand(layout.configs().get(i), layout.dataDirs().get(i))));
    }
    out.flush();
    if (!start) {
      return 0;
    }
    List<Process> processes = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroy)));
    for (int i = 0; i < validators; i++) {
      Path log = layout.configs().get(i).getParent().resolve("validator.log");
      processes.add(new ProcessBuilder(validatorCommand(layout.configs().get(i), layout.dataDirs().get(i)))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start());
    }
    out.println("running; Ctrl-C stops them all");
    out.flush();
    for (Process p : processes) {
      p.waitFor();
    }
    return 0;
  }

  /** The command line that runs one validator with this JVM's java and class or module path. */
  public static List<String> validatorCommand(Path config, Path dataDir) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small heap and the serial collector: several validators share a small machine.
    command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
    String modulePath = System.getProperty("jdk.module.path");
    if (modulePath != null && !modulePath.isBlank()) {
      // lmdbjava reads java.nio.Buffer.address reflectively (as the powerverse launcher allows).
      command.addAll(List.of("--add-opens", "java.base/java.nio=lmdbjava", "--add-opens", "java.base/sun.nio.ch=lmdbjava",
          "-p", modulePath, "-m", "org.powerverse.chain/" + ChainCommand.class.getName()));
    } else {
      command.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
          "-cp", System.getProperty("java.class.path"), ChainCommand.class.getName()));
    }
    command.addAll(List.of("validator", "--config", config.toString(), "--data-dir", dataDir.toString()));
    return command;
  }
}
