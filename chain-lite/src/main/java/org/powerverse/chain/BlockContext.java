package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Objects;

/** What a transaction sees of the block it is in. */
public record BlockContext(long chainId, long height, long timestamp, Address proposer,
    BigInteger baseFeePerGas, long gasLimit) {

  public BlockContext {
    Objects.requireNonNull(proposer, "proposer");
    Objects.requireNonNull(baseFeePerGas, "baseFeePerGas");
    if (height < 0 || gasLimit <= 0) {
      throw new IllegalArgumentException("height " + height + " and gasLimit " + gasLimit + " out of range");
    }
  }
}
