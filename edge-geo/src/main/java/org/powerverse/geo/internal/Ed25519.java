package org.powerverse.geo.internal;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * Ed25519 verification (RFC 8032 §5.1.7, pure Ed25519) with the JDK's provider. Signing happens in
 * {@code NodeIdentity}, the one holder of the private key.
 */
public final class Ed25519 {

  // RFC 8410 §4: SubjectPublicKeyInfo { AlgorithmIdentifier { id-Ed25519 }, BIT STRING key }.
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private Ed25519() {}

  public static PublicKey publicKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + raw.length);
    }
    byte[] spki = new byte[SPKI_PREFIX.length + 32];
    System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** Whether {@code signature} is a valid signature of {@code message} by {@code publicKey}. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey.length != 32 || signature.length != 64) {
      return false;
    }
    try {
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(publicKey(publicKey));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (IllegalArgumentException | InvalidKeyException | SignatureException e) {
      // A key that is not a curve point or a malformed signature is simply not valid.
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no Ed25519 provider", e);
    }
  }
}
