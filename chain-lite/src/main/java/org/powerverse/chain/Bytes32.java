package org.powerverse.chain;

import java.util.Arrays;
import java.util.HexFormat;
import org.powerverse.chain.internal.Hex;

/** 32 bytes: a Keccak-256 hash (transaction hash, signing hash) or a storage key. */
public record Bytes32(byte[] bytes) {

  public Bytes32 {
    if (bytes.length != 32) {
      throw new IllegalArgumentException("expected 32 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static Bytes32 fromHex(String hex) {
    return new Bytes32(Hex.parse(hex));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Bytes32 that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
