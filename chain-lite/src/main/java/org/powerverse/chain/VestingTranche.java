package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Objects;

/** An amount of a genesis allocation that stays locked until {@code unlockTime} (Unix seconds). */
public record VestingTranche(long unlockTime, BigInteger amount) {

  public VestingTranche {
    Objects.requireNonNull(amount, "amount");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("a tranche's amount must be positive, got " + amount);
    }
  }
}
