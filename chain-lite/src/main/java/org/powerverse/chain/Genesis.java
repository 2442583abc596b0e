package org.powerverse.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The chain's genesis: parameters and the whitepaper's allocation of the 70 % that is not the
 * block-reward pool, with vesting schedules as data.
 *
 * @param listingTime the "listing on the CEX exchange" that the whitepaper's vesting counts from
 *     (Unix seconds); unknown today, so it is data
 * @param unbondingBlocks how many blocks unstaked coins stay locked before they can be withdrawn
 * @param minimumStake the least a validator may have staked (wei)
 * @param validators the validators staked at genesis (their stake is held by the staking system
 *     account and counts towards the total supply), so that a chain can start without staking
 *     transactions; empty for a chain whose validators stake later
 */
public record Genesis(long chainId, long timestamp, long listingTime, long targetBlockTimeMillis,
    long gasLimit, BigInteger initialBaseFee, long unbondingBlocks, BigInteger minimumStake,
    Address foundation, List<Allocation> allocations, List<StakedValidator> validators) {

  public static final long DAY = 86_400;
  /** The whitepaper's "month" is read as 30 days, its "year" as 365 days. */
  public static final long MONTH = 30 * DAY;
  public static final long YEAR = 365 * DAY;

  public Genesis {
    Objects.requireNonNull(initialBaseFee, "initialBaseFee");
    Objects.requireNonNull(minimumStake, "minimumStake");
    Objects.requireNonNull(foundation, "foundation");
    allocations = List.copyOf(allocations);
    validators = List.copyOf(validators);
    if (chainId < 1 || gasLimit < 21_000 || unbondingBlocks < 0 || targetBlockTimeMillis <= 0) {
      throw new IllegalArgumentException("genesis: chainId " + chainId + ", gasLimit " + gasLimit
          + ", unbondingBlocks " + unbondingBlocks + " or targetBlockTimeMillis " + targetBlockTimeMillis
          + " out of range");
    }
    BigInteger allocated = allocations.stream().map(Allocation::amount).reduce(BigInteger.ZERO, BigInteger::add);
    java.util.Set<Address> stakers = new java.util.HashSet<>();
    for (StakedValidator validator : validators) {
      if (validator.stake().compareTo(minimumStake) < 0 || validator.stake().signum() <= 0
          || !stakers.add(validator.address())) {
        throw new IllegalArgumentException("genesis validator " + validator.address() + ": stake " + validator.stake()
            + " is below the minimum " + minimumStake + " or the address is listed twice");
      }
      allocated = allocated.add(validator.stake());
    }
    if (allocated.add(Economics.REWARD_POOL).compareTo(Economics.TOTAL_SUPPLY) > 0) {
      throw new IllegalArgumentException("genesis allocates " + allocated
          + " wei; with the reward pool that exceeds the total supply " + Economics.TOTAL_SUPPLY);
    }
  }

  /** A genesis without validators staked at genesis. */
  public Genesis(long chainId, long timestamp, long listingTime, long targetBlockTimeMillis, long gasLimit,
      BigInteger initialBaseFee, long unbondingBlocks, BigInteger minimumStake, Address foundation,
      List<Allocation> allocations) {
    this(chainId, timestamp, listingTime, targetBlockTimeMillis, gasLimit, initialBaseFee, unbondingBlocks,
        minimumStake, foundation, allocations, List.of());
  }

  public Economics economics() {
    return new Economics(targetBlockTimeMillis);
  }

  /** The coins of {@code address} that vesting still locks at Unix time {@code now}. */
  public BigInteger lockedAt(Address address, long now) {
    return allocations.stream().filter(a -> a.address().equals(address)).map(a -> a.lockedAt(now))
        .reduce(BigInteger.ZERO, BigInteger::add);
  }

  /** The whitepaper's allocation categories (section "PowerVerse Coin Distribution"). */
  public enum Category { SEED, ANGEL, ROUND_A, PRESALE, AIRDROP, TEAM, COMPLIANCE, OPERATION, FOUNDATION }

  /**
   * The whitepaper's distribution, 980,000,000 coins (70 %), to the given addresses:
   * <ul>
   * <li>seed, angel and A rounds, 140,000,000 each: 10 % every month for 10 months from 60 days after listing;
   * <li>pre-sale 70,000,000: 40 % free, then 10 % a month for 6 months from {@code presaleUnlockStart}
   *     (the whitepaper's "May 31st", whose year it does not say);
   * <li>airdrop 28,000,000: free (the airdrop itself is off-chain bookkeeping);
   * <li>team 210,000,000: 5 % at 60 days after listing; the rest locked 3 years, then 10 monthly tranches;
   * <li>compliance 42,000,000 and operation 70,000,000: 48 monthly tranches from 30 days after listing;
   * <li>foundation 140,000,000: 48 monthly tranches from 60 days after listing.
   * </ul>
   * Tranches are equal, the last one taking the remainder of the integer division in wei. The
   * team's "locked for 3 years" counts from listing.
   */
  public static List<Allocation> whitepaperAllocations(Map<Category, Address> to, long listingTime,
      long presaleUnlockStart) {
    for (Category category : Category.values()) {
      Objects.requireNonNull(to.get(category), "address for " + category);
    }
    List<Allocation> out = new ArrayList<>();
    for (Category round : List.of(Category.SEED, Category.ANGEL, Category.ROUND_A)) {
      out.add(new Allocation(round.name(), to.get(round), Economics.coins(140_000_000),
          monthly(Economics.coins(140_000_000), 10, listingTime + 60 * DAY)));
    }
    BigInteger presale = Economics.coins(70_000_000);
    out.add(new Allocation(Category.PRESALE.name(), to.get(Category.PRESALE), presale,
        monthly(percent(presale, 60), 6, presaleUnlockStart)));
    out.add(new Allocation(Category.AIRDROP.name(), to.get(Category.AIRDROP), Economics.coins(28_000_000), List.of()));
    BigInteger team = Economics.coins(210_000_000);
    List<VestingTranche> teamVesting = new ArrayList<>();
    teamVesting.add(new VestingTranche(listingTime + 60 * DAY, percent(team, 5)));
    teamVesting.addAll(monthly(team.subtract(percent(team, 5)), 10, listingTime + 3 * YEAR));
    out.add(new Allocation(Category.TEAM.name(), to.get(Category.TEAM), team, teamVesting));
    out.add(new Allocation(Category.COMPLIANCE.name(), to.get(Category.COMPLIANCE), Economics.coins(42_000_000),
        monthly(Economics.coins(42_000_000), 48, listingTime + 30 * DAY)));
    out.add(new Allocation(Category.OPERATION.name(), to.get(Category.OPERATION), Economics.coins(70_000_000),
        monthly(Economics.coins(70_000_000), 48, listingTime + 30 * DAY)));
    out.add(new Allocation(Category.FOUNDATION.name(), to.get(Category.FOUNDATION), Economics.coins(140_000_000),
        monthly(Economics.coins(140_000_000), 48, listingTime + 60 * DAY)));
    return out;
  }

  static BigInteger percent(BigInteger amount, int percent) {
    return amount.multiply(BigInteger.valueOf(percent)).divide(BigInteger.valueOf(100));
  }

  static List<VestingTranche> monthly(BigInteger total, int months, long firstUnlock) {
    BigInteger each = total.divide(BigInteger.valueOf(months));
    List<VestingTranche> tranches = new ArrayList<>();
    for (int i = 0; i < months; i++) {
      BigInteger amount = i == months - 1 ? total.subtract(each.multiply(BigInteger.valueOf(months - 1))) : each;
      tranches.add(new VestingTranche(firstUnlock + i * MONTH, amount));
    }
    return tranches;
  }
}
