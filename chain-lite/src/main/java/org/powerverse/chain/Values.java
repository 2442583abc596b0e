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
