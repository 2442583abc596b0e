package org.powerverse.chain.internal.p2p;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A validator's Ed25519 key (RFC 8032): the key it staked as its VRF key, and with which it
 * signs votes and proposals and proves itself in the P2P handshake. The secret is the 32-byte
 * seed; ECVRF (RFC 9381 §5.5) takes the same seed as its secret key.
 */
public final class ValidatorKey {

  public static final int SEED_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  private final byte[] seed;
  private final byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];

  private ValidatorKey(byte[] seed) {
    if (Objects.requireNonNull(seed, "seed").length != SEED_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed has " + SEED_BYTES + " bytes, got " + seed.length);
    }
    this.seed = seed.clone();
    Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
  }

  public static ValidatorKey fromSeed(byte[] seed) {
    return new ValidatorKey(seed);
  }

  /** Reads a key file: the seed as 64 hex digits (an optional 0x and surrounding whitespace allowed). */
  public static ValidatorKey read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException("validator key file " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (text.startsWith("0x")) {
      text = text.substring(2);
    }
    if (!text.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("validator key file " + file + " must hold 64 hex digits (an Ed25519 seed)");
    }
    return new ValidatorKey(HexFormat.of().parseHex(text));
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The seed, for ECVRF proofs (RFC 9381 takes the RFC 8032 secret key). */
  public byte[] vrfSecretKey() {
    return seed.clone();
  }

  public byte[] sign(byte[] message) {
    byte[] signature = new byte[SIGNATURE_BYTES];
    Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /** RFC 8032 §5.1.7 verification; false for malformed keys or signatures instead of throwing. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null || signature == null || publicKey.length != Ed25519.PUBLIC_KEY_SIZE
        || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "ValidatorKey[" + HexFormat.of().formatHex(publicKey) + "]"; // never the seed
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ValidatorKey that && Arrays.equals(publicKey, that.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }
}
