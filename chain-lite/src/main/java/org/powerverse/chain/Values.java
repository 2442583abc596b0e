package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Objects;

/** Range checks of transaction fields, naming the field and the value. */
final class Values {

  static final BigInteger UINT256_LIMIT = BigInteger.ONE.shiftLeft(256);

  private Values() {}

  static BigInteger uint256(String field, BigInteger value) {
    Objects.requireNonNull(value, field);
    if (value.signum() < 0 || value.compareTo(UINT256_LIMIT) >= 0) {
      throw new InvalidTransactionException(field + " must be in [0, 2^256), got " + value);
    }
    return value;
  }

  /**
   * The most a transaction can cost in fees, gasLimit × price, must fit in 256 bits (as
   * ethereumjs requires; such a transaction could never be paid for anyway).
   */
  static void feeFits(String priceField, long gasLimit, BigInteger price) {
    if (price.multiply(BigInteger.valueOf(gasLimit)).compareTo(UINT256_LIMIT) >= 0) {
      throw new InvalidTransactionException(
          "gasLimit × " + priceField + " exceeds 2^256 - 1 (gasLimit " + gasLimit + ")");
    }
  }

  static long nonNegative(String field, long value) {
    if (value < 0) {
      throw new InvalidTransactionException(field + " must not be negative, got " + value);
    }
    return value;
  }

  static long chainId(long chainId) {
    if (chainId < 1) {
      throw new InvalidTransactionException("chain id must be at least 1, got " + chainId);
    }
    return chainId;
  }
}
