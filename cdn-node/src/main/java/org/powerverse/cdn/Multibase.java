package org.powerverse.cdn;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.powerverse.platform.Base58;

/**
 * The multibase encodings a CID is written in (multiformats/multibase, multibase.csv): a one
 * character prefix names the base. CIDv1 defaults to {@link #BASE32}; libp2p keys in IPNS names
 * use {@link #BASE36}. Upper-case variants decode too, as the spec lists them.
 */
public enum Multibase {
  /** RFC 4648 §6 base32, lower case, no padding. */
  BASE32('b'),
  /** RFC 4648 §6 base32, upper case, no padding. */
  BASE32_UPPER('B'),
  /** Bitcoin's base58. */
  BASE58BTC('z'),
  /** Base36 (0-9a-z), lower case, leading zero bytes as '0'. */
  BASE36('k'),
  /** Base36 (0-9A-Z), upper case. */
  BASE36_UPPER('K'),
  /** RFC 4648 §8 base16, lower case. */
  BASE16('f'),
  /** RFC 4648 §8 base16, upper case. */
  BASE16_UPPER('F');

  private static final char[] BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final char prefix;

  Multibase(char prefix) {
    this.prefix = prefix;
  }

  public char prefix() {
    return prefix;
  }

  /** The encoding with its prefix. */
  public String encode(byte[] data) {
    return prefix + encodeBare(data);
  }

  /** The encoding without the prefix. */
  public String encodeBare(byte[] data) {
    return switch (this) {
      case BASE32 -> base32(data);
      case BASE32_UPPER -> base32(data).toUpperCase(Locale.ROOT);
      case BASE58BTC -> Base58.encode(data);
      case BASE36 -> base36(data);
      case BASE36_UPPER -> base36(data).toUpperCase(Locale.ROOT);
      case BASE16 -> HexFormat.of().formatHex(data);
      case BASE16_UPPER -> HexFormat.of().withUpperCase().formatHex(data);
    };
  }

  /** The base a multibase string is in, by its prefix. */
  public static Multibase of(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty multibase string");
    }
    char c = text.charAt(0);
    for (Multibase base : values()) {
      if (base.prefix == c) {
        return base;
      }
    }
    throw new IllegalArgumentException("unsupported multibase prefix '" + c + "' (supported: b, B, z, k, K, f, F)");
  }

  /** Decodes a multibase string (with its prefix). */
  public static byte[] decode(String text) {
    Multibase base = of(text);
    return base.decodeBare(text.substring(1));
  }

  /**
   * Decodes text in this base (without the prefix). The case-insensitive bases decode text of
   * either case, as multibase's test vectors (tests/case_insensitivity.csv) require.
   */
  public byte[] decodeBare(String text) {
    return switch (this) {
      case BASE32, BASE32_UPPER -> base32Decode(text.toLowerCase(Locale.ROOT));
      case BASE58BTC -> Base58.decode(text);
      case BASE36, BASE36_UPPER -> base36Decode(text.toLowerCase(Locale.ROOT));
      case BASE16, BASE16_UPPER -> HexFormat.of().parseHex(text);
    };
  }

  private static String base32(byte[] data) {
    StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32_ALPHABET[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32_ALPHABET[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }

  private static byte[] base32Decode(String text) {
    byte[] out = new byte[text.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int value;
      if (c >= 'a' && c <= 'z') {
        value = c - 'a';
      } else if (c >= '2' && c <= '7') {
        value = c - '2' + 26;
      } else {
        throw new IllegalArgumentException("not base32: '" + c + "' at index " + i);
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[length++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    // RFC 4648 §3.5: the bits left over must be zero, or the text is not canonical.
    if ((buffer & ((1 << bits) - 1)) != 0 || bits >= 5) {
      throw new IllegalArgumentException("not canonical base32: non-zero or excess trailing bits");
    }
    return length == out.length ? out : Arrays.copyOf(out, length);
  }

  private static String base36(byte[] data) {
    int zeros = 0;
    while (zeros < data.length && data[zeros] == 0) {
      zeros++;
    }
    String digits = data.length == zeros ? "" : new BigInteger(1, data).toString(36);
    return "0".repeat(zeros) + digits;
  }

  private static byte[] base36Decode(String text) {
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '0') {
      zeros++;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      if (!digit && !(c >= 'a' && c <= 'z')) {
        throw new IllegalArgumentException("not base36: '" + c + "' at index " + i);
      }
    }
    String rest = text.substring(zeros);
    byte[] magnitude = rest.isEmpty() ? new byte[0] : new BigInteger(rest, 36).toByteArray();
    int strip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
    byte[] out = new byte[zeros + magnitude.length - strip];
    System.arraycopy(magnitude, strip, out, zeros, magnitude.length - strip);
    return out;
  }
}
