package org.powerverse.chain.internal;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;

/**
 * ECVRF-EDWARDS25519-SHA512-TAI, RFC 9381 suite 0x03: prove (§5.1), proof-to-hash (§5.2) and
 * verify (§5.3) with validate_key = TRUE, encode-to-curve by try-and-increment (§5.4.1.1), nonce
 * generation as in RFC 8032 (§5.4.2.2), challenge generation (§5.4.3), proof decoding (§5.4.4) and
 * key validation (§5.4.5). Curve arithmetic: {@link EdwardsPoint} over Bouncy Castle's field.
 */
public final class EcvrfEdwards25519 {

  public static final int SECRET_KEY_BYTES = 32;
  public static final int PUBLIC_KEY_BYTES = 32;
  public static final int PROOF_BYTES = 80;
  public static final int OUTPUT_BYTES = 64;

  private static final byte SUITE = 0x03;
  private static final int POINT_BYTES = 32;
  private static final int CHALLENGE_BYTES = 16;
  private static final int SCALAR_BYTES = 32;

  /** q, the prime order of the base point (RFC 8032 §5.1: L). */
  static final BigInteger ORDER = BigInteger.TWO.pow(252)
      .add(new BigInteger("27742317777372353535851937790883648493"));

  private EcvrfEdwards25519() {}

  /** The public key Y = x·B of a 32-byte secret key (RFC 8032 §5.1.5, RFC 9381 §5.5). */
  public static byte[] publicKey(byte[] secretKey) {
    return Key.expand(secretKey).publicKey;
  }

  /** RFC 9381 §5.1: returns {pi_string, beta_string}. */
  public static byte[][] prove(byte[] secretKey, byte[] alpha) {
    Key key = Key.expand(secretKey);
    EdwardsPoint h = encodeToCurve(key.publicKey, alpha);
    byte[] hString = h.encode();
    EdwardsPoint gamma = h.multiply(key.scalar);
    BigInteger k = nonce(key.noncePrefix, hString);
    byte[] kBytes = scalarBytes(k);
    byte[] gammaString = gamma.encode();
    byte[] c = challenge(key.publicKey, hString, gammaString,
        EdwardsPoint.multiplyBase(kBytes).encode(), h.multiply(kBytes).encode());
    BigInteger s = k.add(littleEndian(c).multiply(littleEndian(key.scalar))).mod(ORDER);
    byte[] pi = new byte[PROOF_BYTES];
    System.arraycopy(gammaString, 0, pi, 0, POINT_BYTES);
    System.arraycopy(c, 0, pi, POINT_BYTES, CHALLENGE_BYTES);
    System.arraycopy(scalarBytes(s), 0, pi, POINT_BYTES + CHALLENGE_BYTES, SCALAR_BYTES);
    return new byte[][] {pi, hashOfGamma(gamma)};
  }

  /** RFC 9381 §5.3 with validate_key = TRUE: beta_string, or empty when the proof is INVALID. */
  public static Optional<byte[]> verify(byte[] publicKey, byte[] alpha, byte[] pi) {
    if (publicKey.length != PUBLIC_KEY_BYTES || pi.length != PROOF_BYTES) {
      return Optional.empty();
    }
    EdwardsPoint y = validateKey(publicKey);
    if (y == null) {
      return Optional.empty();
    }
    Proof proof = Proof.decode(pi);
    if (proof == null) {
      return Optional.empty();
    }
    EdwardsPoint h = encodeToCurve(publicKey, alpha);
    EdwardsPoint u = EdwardsPoint.baseMinusVar(proof.s, proof.c, y);
    EdwardsPoint v = EdwardsPoint.doubleMultiplyMinusVar(proof.s, h, proof.c, proof.gamma);
    byte[] expected = challenge(publicKey, h.encode(), Arrays.copyOf(pi, POINT_BYTES),
        u.encode(), v.encode());
    if (!MessageDigest.isEqual(expected, Arrays.copyOf(proof.c, CHALLENGE_BYTES))) {
      return Optional.empty();
    }
    return Optional.of(hashOfGamma(proof.gamma));
  }

  /**
   * RFC 9381 §5.2, for a proof known to be well formed (produced by prove, or checked by
   * verify).
   *
   * @throws IllegalArgumentException if pi cannot be decoded (§5.4.4)
   */
  public static byte[] proofToHash(byte[] pi) {
    if (pi.length != PROOF_BYTES) {
      throw new IllegalArgumentException(
          "a proof has " + PROOF_BYTES + " bytes, got " + pi.length);
    }
    Proof proof = Proof.decode(pi);
    if (proof == null) {
      throw new IllegalArgumentException(
          "not a proof: Gamma is not a point, or s is not below the group order");
    }
    return hashOfGamma(proof.gamma);
  }

  /** RFC 9381 §5.4.5: Y, or null when PK_string is not a point or has small order. */
  static EdwardsPoint validateKey(byte[] publicKey) {
    EdwardsPoint y = EdwardsPoint.decode(publicKey, 0);
    if (y == null || y.timesCofactor().isIdentity()) {
      return null;
    }
    return y;
  }

  /** RFC 9381 §5.4.1.1, try-and-increment, with encode_to_curve_salt = PK_string (§5.5). */
  static EdwardsPoint encodeToCurve(byte[] salt, byte[] alpha) {
    MessageDigest sha512 = sha512();
    for (int ctr = 0; ctr < 256; ctr++) {
      sha512.update(SUITE);
      sha512.update((byte) 0x01);
      sha512.update(salt);
      sha512.update(alpha);
      sha512.update((byte) ctr);
      sha512.update((byte) 0x00);
      // interpret_hash_value_as_a_point: string_to_point of the first 32 bytes (§5.5).
      EdwardsPoint candidate = EdwardsPoint.decode(sha512.digest(), 0);
      if (candidate != null) {
        EdwardsPoint h = candidate.timesCofactor();
        if (!h.isIdentity()) {
          return h;
        }
      }
    }
    // Probability about 2^-256: every one of 256 hashes missed the curve.
    throw new IllegalStateException("encode_to_curve found no point in 256 tries");
  }

  /** RFC 9381 §5.4.2.2 (RFC 8032 §5.1.6 step 2): k = SHA-512(h[32..63] || h_string) mod q. */
  static BigInteger nonce(byte[] noncePrefix, byte[] hString) {
    MessageDigest sha512 = sha512();
    sha512.update(noncePrefix);
    sha512.update(hString);
    return littleEndian(sha512.digest()).mod(ORDER);
  }

  /** RFC 9381 §5.4.3: the first cLen bytes of Hash(suite || 0x02 || P1..P5 || 0x00). */
  static byte[] challenge(byte[]... points) {
    MessageDigest sha512 = sha512();
    sha512.update(SUITE);
    sha512.update((byte) 0x02);
    for (byte[] point : points) {
      sha512.update(point);
    }
    sha512.update((byte) 0x00);
    return Arrays.copyOf(sha512.digest(), CHALLENGE_BYTES);
  }

  /** RFC 9381 §5.2: Hash(suite || 0x03 || point_to_string(cofactor·Gamma) || 0x00). */
  private static byte[] hashOfGamma(EdwardsPoint gamma) {
    MessageDigest sha512 = sha512();
    sha512.update(SUITE);
    sha512.update((byte) 0x03);
    sha512.update(gamma.timesCofactor().encode());
    sha512.update((byte) 0x00);
    return sha512.digest();
  }

  static BigInteger littleEndian(byte[] bytes) {
    return new BigInteger(1, EdwardsPoint.reverse(bytes));
  }

  /** int_to_string(value, 32), little-endian (RFC 9381 §5.5). */
  static byte[] scalarBytes(BigInteger value) {
    byte[] bigEndian = value.toByteArray();
    byte[] out = new byte[SCALAR_BYTES];
    for (int i = 0; i < SCALAR_BYTES && i < bigEndian.length; i++) {
      out[i] = bigEndian[bigEndian.length - 1 - i];
    }
    return out;
  }

  private static MessageDigest sha512() {
    try {
      return MessageDigest.getInstance("SHA-512");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-512", e);
    }
  }

  /** RFC 9381 §5.4.4: Gamma, c (as 32 little-endian bytes) and s, or null when INVALID. */
  private record Proof(EdwardsPoint gamma, byte[] c, byte[] s) {
    static Proof decode(byte[] pi) {
      EdwardsPoint gamma = EdwardsPoint.decode(pi, 0);
      if (gamma == null) {
        return null;
      }
      byte[] c = Arrays.copyOf(Arrays.copyOfRange(pi, POINT_BYTES, POINT_BYTES + CHALLENGE_BYTES),
          SCALAR_BYTES);
      byte[] s = Arrays.copyOfRange(pi, POINT_BYTES + CHALLENGE_BYTES, PROOF_BYTES);
      if (littleEndian(s).compareTo(ORDER) >= 0) {
        return null;
      }
      return new Proof(gamma, c, s);
    }
  }

  /** The secret scalar x, Y's encoding, and the nonce prefix, from SK (RFC 8032 §5.1.5). */
  record Key(byte[] scalar, byte[] publicKey, byte[] noncePrefix) {
    static Key expand(byte[] secretKey) {
      if (secretKey.length != SECRET_KEY_BYTES) {
        throw new IllegalArgumentException(
            "an Ed25519 secret key has " + SECRET_KEY_BYTES + " bytes, got " + secretKey.length);
      }
      byte[] h = sha512().digest(secretKey);
      byte[] scalar = Arrays.copyOf(h, SCALAR_BYTES);
      scalar[0] &= (byte) 0xF8;
      scalar[31] &= 0x7F;
      scalar[31] |= 0x40;
      byte[] publicKey = EdwardsPoint.multiplyBase(scalar).encode();
      return new Key(scalar, publicKey, Arrays.copyOfRange(h, 32, 64));
    }
  }
}
