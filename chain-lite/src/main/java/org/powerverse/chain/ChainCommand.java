package org.powerverse.chain;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code powerverse chain}: the chain's tools for operators and audits. */
@Command(
    name = "chain",
    description = "PowerVerse Chain tools: VRF proofs and sortition.",
    mixinStandardHelpOptions = true,
    subcommands = {VrfCommand.class, SortitionCommand.class})
public final class ChainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
