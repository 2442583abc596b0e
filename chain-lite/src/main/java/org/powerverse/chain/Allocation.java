package org.powerverse.chain;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * A genesis balance; the amounts of its tranches are locked until their unlock times, the rest is
 * free from genesis. Locked coins cannot be sent, paid as fees or staked.
 */
public record Allocation(String name, Address address, BigInteger amount, List<VestingTranche> vesting) {

  public Allocation {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(amount, "amount");
    vesting = List.copyOf(vesting);
    BigInteger vested = vesting.stream().map(VestingTranche::amount).reduce(BigInteger.ZERO, BigInteger::add);
    if (amount.signum() < 0 || vested.compareTo(amount) > 0) {
      throw new IllegalArgumentException(
          name + ": tranches " + vested + " must not exceed the allocation " + amount);
    }
  }

  /** What is still locked at Unix time {@code now}. */
  public BigInteger lockedAt(long now) {
    return vesting.stream().filter(t -> t.unlockTime() > now).map(VestingTranche::amount)
        .reduce(BigInteger.ZERO, BigInteger::add);
  }
}
