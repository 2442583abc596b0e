package org.powerverse.chain;

import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.internal.EcvrfEdwards25519;

/**
 * ECVRF-EDWARDS25519-SHA512-TAI, RFC 9381 suite 0x03: the whitepaper's VRF ({@code VRF_Hash},
 * {@code VRF_Proof}, {@code VRF_P2H}, {@code VRF_Verify}). Keys are RFC 8032 Ed25519 keys: a
 * 32-byte secret key (seed) and its 32-byte public key. Verification always validates the public
 * key (§5.3 with validate_key = TRUE), so small-order keys are rejected.
 */
public final class Ecvrf {

  public static final int SECRET_KEY_BYTES = EcvrfEdwards25519.SECRET_KEY_BYTES;
  public static final int PUBLIC_KEY_BYTES = EcvrfEdwards25519.PUBLIC_KEY_BYTES;
  public static final int PROOF_BYTES = EcvrfEdwards25519.PROOF_BYTES;
  public static final int OUTPUT_BYTES = EcvrfEdwards25519.OUTPUT_BYTES;

  private Ecvrf() {}

  /** The Ed25519 public key of a 32-byte secret key (RFC 8032 §5.1.5). */
  public static byte[] publicKey(byte[] secretKey) {
    return EcvrfEdwards25519.publicKey(Objects.requireNonNull(secretKey, "secretKey"));
  }

  /** RFC 9381 §5.1 and §5.2: the proof of {@code alpha} under the key, and its output. */
  public static VrfResult prove(byte[] secretKey, byte[] alpha) {
    byte[][] piAndBeta = EcvrfEdwards25519.prove(
        Objects.requireNonNull(secretKey, "secretKey"), Objects.requireNonNull(alpha, "alpha"));
    return new VrfResult(piAndBeta[0], piAndBeta[1]);
  }

  /**
   * RFC 9381 §5.3: the output (beta) when {@code proof} is a valid proof of {@code alpha} under
   * {@code publicKey}; empty for anything else, malformed inputs included.
   */
  public static Optional<byte[]> verify(byte[] publicKey, byte[] alpha, byte[] proof) {
    return EcvrfEdwards25519.verify(Objects.requireNonNull(publicKey, "publicKey"),
        Objects.requireNonNull(alpha, "alpha"), Objects.requireNonNull(proof, "proof"));
  }

  /**
   * RFC 9381 §5.2: the output of a proof already known to be valid (it does not verify).
   *
   * @throws IllegalArgumentException if the proof cannot be decoded
   */
  public static byte[] proofToHash(byte[] proof) {
    return EcvrfEdwards25519.proofToHash(Objects.requireNonNull(proof, "proof"));
  }
}
