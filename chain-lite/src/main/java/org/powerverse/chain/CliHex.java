package org.powerverse.chain;

import java.util.HexFormat;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Hex arguments of the chain commands: optional {@code 0x}, exact lengths, precise errors. */
final class CliHex {

  private CliHex() {}

  static byte[] parse(CommandSpec spec, String option, String value, int expectedBytes) {
    String digits = value.startsWith("0x") || value.startsWith("0X") ? value.substring(2) : value;
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(digits);
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
