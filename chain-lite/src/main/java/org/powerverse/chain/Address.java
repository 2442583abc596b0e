package org.powerverse.chain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.powerverse.chain.internal.Hex;
import org.powerverse.chain.internal.Keccak;

/** A 20-byte account address: the last 20 bytes of Keccak-256 of the secp256k1 public key. */
public record Address(byte[] bytes) {

  public static final int BYTES = 20;

  public Address {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an address has " + BYTES + " bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  /** Parses {@code 0x} + 40 hex digits, in any case (the EIP-55 checksum is not enforced). */
  public static Address fromHex(String hex) {
    byte[] bytes = Hex.parse(hex);
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an address has 40 hex digits, got '" + hex + "'");
    }
    return new Address(bytes);
  }

  /** The address of an uncompressed public key (64 bytes, x || y). */
  public static Address ofPublicKey(byte[] publicKeyXy) {
    if (publicKeyXy.length != 64) {
      throw new IllegalArgumentException("an uncompressed public key has 64 bytes, got " + publicKeyXy.length);
    }
    byte[] hash = Keccak.keccak256(publicKeyXy);
    return new Address(Arrays.copyOfRange(hash, 12, 32));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** EIP-55 mixed-case checksum encoding. */
  public String toChecksumString() {
    String lower = HexFormat.of().formatHex(bytes);
    byte[] hash = Keccak.keccak256(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (hash[i / 2] >>> (i % 2 == 0 ? 4 : 0)) & 0x0F;
      out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Address that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
  }
}
