package org.powerverse.chain;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerverse chain sortition}: prints j for a VRF output (whitepaper Sortition). */
@Command(name = "sortition", mixinStandardHelpOptions = true,
    description = "Print j, the selected sub-users of a VRF output: the binomial CDF interval of "
        + "B(k; w, tau/W) that output/2^512 falls in (0: not selected).")
public final class SortitionCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--vrf-output", required = true, paramLabel = "HEX",
      description = "The 64-byte VRF output (hash).")
  String vrfOutput;

  @Option(names = "--weight", required = true, paramLabel = "w", description = "The node's weight.")
  long weight;

  @Option(names = "--total-weight", required = true, paramLabel = "W",
      description = "The total weight.")
  long totalWeight;

  @Option(names = "--tau", required = true, paramLabel = "T",
      description = "The expected number of selected sub-users.")
  long tau;

  @Override
  public Integer call() {
    byte[] output = CliHex.parse(spec, "--vrf-output", vrfOutput, Ecvrf.OUTPUT_BYTES);
    long j;
    try {
      j = Sortition.subUsers(output, weight, totalWeight, tau);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    spec.commandLine().getOut().println(j);
    return 0;
  }
}
