package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;

/**
 * EIP-1559's base fee: the gas target is half the gas limit (ELASTICITY_MULTIPLIER = 2) and the
 * base fee moves by at most 1/8 (BASE_FEE_MAX_CHANGE_DENOMINATOR = 8) per block toward it.
 */
public final class FeeMarket {

  public static final long ELASTICITY_MULTIPLIER = 2;
  public static final long BASE_FEE_MAX_CHANGE_DENOMINATOR = 8;

  private FeeMarket() {}

  /** The base fee of the block after a parent with these gas limit, gas used and base fee. */
  public static BigInteger nextBaseFee(long parentGasLimit, long parentGasUsed, BigInteger parentBaseFee) {
    if (parentGasLimit <= 0 || parentGasUsed < 0 || parentGasUsed > parentGasLimit) {
      throw new IllegalArgumentException(
          "gas used must be in [0, gas limit], got " + parentGasUsed + " of " + parentGasLimit);
    }
    if (parentBaseFee.signum() < 0) {
      throw new IllegalArgumentException("base fee must not be negative, got " + parentBaseFee);
    }
    long target = parentGasLimit / ELASTICITY_MULTIPLIER;
    if (parentGasUsed == target) {
      return parentBaseFee;
    }
    BigInteger denominator = BigInteger.valueOf(target).multiply(BigInteger.valueOf(BASE_FEE_MAX_CHANGE_DENOMINATOR));
    if (parentGasUsed > target) {
      // EIP-1559: the increase is at least 1 wei.
      BigInteger delta = parentBaseFee.multiply(BigInteger.valueOf(parentGasUsed - target)).divide(denominator);
      return parentBaseFee.add(delta.max(BigInteger.ONE));
    }
    BigInteger delta = parentBaseFee.multiply(BigInteger.valueOf(target - parentGasUsed)).divide(denominator);
    return parentBaseFee.subtract(delta).max(BigInteger.ZERO);
  }
}
