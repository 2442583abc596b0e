package org.powerverse.chain.internal;

import java.util.HexFormat;

/** Hex as users type it: an optional 0x prefix, either case. */
public final class Hex {

  private Hex() {}

  /** The bytes of {@code 0x}-prefixed or bare hex; IllegalArgumentException if not hex. */
  public static byte[] parse(String hex) {
    String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
    return HexFormat.of().parseHex(digits);
  }
}
