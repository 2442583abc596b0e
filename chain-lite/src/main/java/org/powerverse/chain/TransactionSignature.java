package org.powerverse.chain;

import java.math.BigInteger;

/**
 * A secp256k1 ECDSA signature with its recovery bit: yParity is the parity of R's y (0 or 1);
 * 1 ≤ r < n and 1 ≤ s ≤ n/2 (EIP-2: the high-s twin of every signature is invalid, so a
 * signature has one encoding).
 */
public record TransactionSignature(int yParity, BigInteger r, BigInteger s) {

  /** The order n of secp256k1's base point. */
  public static final BigInteger CURVE_ORDER = new BigInteger(
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

  private static final BigInteger HALF_ORDER = CURVE_ORDER.shiftRight(1);

  public TransactionSignature {
    if (yParity != 0 && yParity != 1) {
      throw new InvalidTransactionException("signature y parity must be 0 or 1, got " + yParity);
    }
    if (r.signum() <= 0 || r.compareTo(CURVE_ORDER) >= 0) {
      throw new InvalidTransactionException("signature r must be in [1, n), got 0x" + r.toString(16));
    }
    if (s.signum() <= 0 || s.compareTo(HALF_ORDER) > 0) {
      throw new InvalidTransactionException(
          "signature s must be in [1, n/2] (EIP-2 low s), got 0x" + s.toString(16));
    }
  }
}
