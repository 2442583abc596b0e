package org.powerverse.chain;

import java.util.HexFormat;
import org.powerverse.chain.internal.Hex;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Hex arguments of the chain commands: optional {@code 0x}, exact lengths, precise errors. */
final class CliHex {

  private CliHex() {}

  static byte[] parse(CommandSpec spec, String option, String value, int expectedBytes) {
    byte[] bytes;
    try {
      bytes = Hex.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + ": not hex: '" + value + "'");
    }
    if (expectedBytes >= 0 && bytes.length != expectedBytes) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          option + ": expected " + expectedBytes + " bytes (" + 2 * expectedBytes
              + " hex digits), got " + bytes.length);
    }
    return bytes;
  }

  static String format(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
