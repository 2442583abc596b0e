package org.powerverse.chain;

import java.math.BigInteger;

/**
 * The whitepaper's coin ("PowerVerse Coin", "PowerVerse Coin Distribution"): 1,400,000,000 coins
 * of 18 decimals; 30 % (420,000,000) is the block-reward pool, minted over time and halving every
 * 5 years; 3 % of each block reward goes to the foundation for the monthly dividend.
 *
 * <p>Halving by height: an era is 5 Julian years (5 × 365.25 days) of target block times, so
 * {@code blocksPerEra = 157,788,000,000 ms / targetBlockTimeMillis}. The first era's reward is
 * {@code pool / (2 · blocksPerEra)} (floored) and era e pays {@code floor(R0 / 2^e)}; the
 * geometric series stays below 2 · R0 · blocksPerEra ≤ pool, so the pool is never exceeded, and
 * the reward reaches zero after about 60 eras.
 */
public final class Economics {

  public static final BigInteger WEI_PER_COIN = BigInteger.TEN.pow(18);
  public static final BigInteger TOTAL_SUPPLY = coins(1_400_000_000L);
  public static final BigInteger REWARD_POOL = coins(420_000_000L);
  public static final int FOUNDATION_SHARE_PERCENT = 3;
  public static final long ERA_MILLIS = 5L * 36_525L * 86_400L * 1_000L / 100L;

  private final long blocksPerEra;
  private final BigInteger initialReward;

  public Economics(long targetBlockTimeMillis) {
    if (targetBlockTimeMillis <= 0 || targetBlockTimeMillis > ERA_MILLIS) {
      throw new IllegalArgumentException(
          "target block time must be in (0, " + ERA_MILLIS + "] ms, got " + targetBlockTimeMillis);
    }
    this.blocksPerEra = ERA_MILLIS / targetBlockTimeMillis;
    this.initialReward = REWARD_POOL.divide(BigInteger.valueOf(2 * blocksPerEra));
  }

  public static BigInteger coins(long coins) {
    return BigInteger.valueOf(coins).multiply(WEI_PER_COIN);
  }

  public long blocksPerEra() {
    return blocksPerEra;
  }

  public BigInteger initialReward() {
    return initialReward;
  }

  /** The reward minted by the block at this height; the genesis block (height 0) mints nothing. */
  public BigInteger blockReward(long height) {
    if (height < 0) {
      throw new IllegalArgumentException("height must not be negative, got " + height);
    }
    if (height == 0) {
      return BigInteger.ZERO;
    }
    long era = (height - 1) / blocksPerEra;
    return era >= initialReward.bitLength() ? BigInteger.ZERO : initialReward.shiftRight((int) era);
  }

  /** The foundation's 3 % of a block reward, floored; the proposer gets the rest. */
  public static BigInteger foundationShare(BigInteger reward) {
    return reward.multiply(BigInteger.valueOf(FOUNDATION_SHARE_PERCENT)).divide(BigInteger.valueOf(100));
  }

  /** Everything minted by blocks 1..height, in closed form (per era, not per block). */
  public BigInteger mintedThrough(long height) {
    if (height < 0) {
      throw new IllegalArgumentException("height must not be negative, got " + height);
    }
    BigInteger total = BigInteger.ZERO;
    long fullEras = height / blocksPerEra;
    int maxEra = initialReward.bitLength();
    for (long era = 0; era < Math.min(fullEras, maxEra); era++) {
      total = total.add(initialReward.shiftRight((int) era).multiply(BigInteger.valueOf(blocksPerEra)));
    }
    long rest = height - fullEras * blocksPerEra;
    if (rest > 0 && fullEras < maxEra) {
      total = total.add(initialReward.shiftRight((int) fullEras).multiply(BigInteger.valueOf(rest)));
    }
    return total;
  }
}
