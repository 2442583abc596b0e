package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The outcome of an included transaction. {@code success} false is Ethereum's status 0 (the
 * fee was paid, nothing else happened), e.g. a staking call with bad arguments.
 */
public record Receipt(Bytes32 transactionHash, int transactionType, Address from, boolean success,
    long gasUsed, long cumulativeGasUsed, BigInteger effectiveGasPrice, String failure) {

  public Receipt {
    Objects.requireNonNull(transactionHash, "transactionHash");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(effectiveGasPrice, "effectiveGasPrice");
    Objects.requireNonNull(failure, "failure (empty on success)");
  }
}
