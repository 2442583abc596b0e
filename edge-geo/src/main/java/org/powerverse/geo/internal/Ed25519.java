package org.powerverse.geo.internal;

/**
 * Ed25519 verification (RFC 8032 §5.1.7, pure Ed25519) with Bouncy Castle's RFC 8032 code, which
 * rejects S ≥ L and non-canonical point encodings, and verifies about ten times faster than the
 * JDK's provider (docs/benchmarks/geo.md). Signing happens in {@code NodeIdentity}, the one holder
 * of the private key.
 */
public final class Ed25519 {

  private Ed25519() {}

  /** Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }
}
