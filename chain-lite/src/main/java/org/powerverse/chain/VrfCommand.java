package org.powerverse.chain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.powerverse.platform.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code powerverse chain vrf}: ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381) proofs as JSON. */
@Command(
    name = "vrf",
    description = "ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381 suite 0x03) proofs.",
    mixinStandardHelpOptions = true,
    subcommands = {VrfCommand.Prove.class, VrfCommand.Verify.class})
public final class VrfCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** Prints {@code {"publicKey","proof","output"}} for a secret key and an input. */
  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = "Prove alpha with an Ed25519 secret key; prints {\"publicKey\",\"proof\",\"output\"}.")
  public static final class Prove implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--secret-key", required = true, paramLabel = "HEX",
        description = "The 32-byte Ed25519 secret key (RFC 8032 seed).")
    String secretKey;

    @Option(names = "--alpha", required = true, paramLabel = "HEX",
        description = "The input, hex (may be empty).")
    String alpha;

    @Override
    public Integer call() {
      byte[] sk = CliHex.parse(spec, "--secret-key", secretKey, Ecvrf.SECRET_KEY_BYTES);
      byte[] input = CliHex.parse(spec, "--alpha", alpha, -1);
      VrfResult result = Ecvrf.prove(sk, input);
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("publicKey", CliHex.format(Ecvrf.publicKey(sk)));
      json.put("proof", CliHex.format(result.proof()));
      json.put("output", CliHex.format(result.output()));
      spec.commandLine().getOut().println(Json.string(json));
      return 0;
    }
  }

  /** Prints {@code {"valid","output"}}; exits 1 when the proof is invalid. */
  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Verify a proof; prints {\"valid\":true|false,\"output\"} and exits 1 when invalid.")
  public static final class Verify implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--public-key", required = true, paramLabel = "HEX",
        description = "The 32-byte Ed25519 public key.")
    String publicKey;

    @Option(names = "--alpha", required = true, paramLabel = "HEX",
        description = "The input, hex (may be empty).")
    String alpha;

    @Option(names = "--proof", required = true, paramLabel = "HEX",
        description = "The 80-byte proof (Gamma || c || s).")
    String proof;

    @Override
    public Integer call() {
      // A public key or proof of the wrong length is still an answer ("invalid"), not a usage
      // error: auditors feed whatever they found on the wire.
      byte[] pk = CliHex.parse(spec, "--public-key", publicKey, -1);
      byte[] input = CliHex.parse(spec, "--alpha", alpha, -1);
      byte[] pi = CliHex.parse(spec, "--proof", proof, -1);
      Optional<byte[]> output = Ecvrf.verify(pk, input, pi);
      ObjectNode json = Json.MAPPER.createObjectNode();
      json.put("valid", output.isPresent());
      if (output.isPresent()) {
        json.put("output", CliHex.format(output.get()));
      } else {
        json.putNull("output");
      }
      spec.commandLine().getOut().println(Json.string(json));
      return output.isPresent() ? 0 : 1;
    }
  }
}
