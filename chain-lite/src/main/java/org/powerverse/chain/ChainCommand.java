package org.powerverse.chain;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code powerverse chain}: the chain's tools for operators and audits. */
@Command(
    name = "chain",
    description = "PowerVerse Chain tools: VRF proofs, sortition, devnets and a validator run alone.",
    mixinStandardHelpOptions = true,
    subcommands = {VrfCommand.class, SortitionCommand.class, DevnetCommand.class, ValidatorCommand.class})
public final class ChainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Runs the chain commands without the rest of the CLI (devnet's child validators use it). */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new ChainCommand()).execute(args));
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
