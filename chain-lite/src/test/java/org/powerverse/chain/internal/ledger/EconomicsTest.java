package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Address;
import org.powerverse.chain.Allocation;
import org.powerverse.chain.Block;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.VestingTranche;
import org.powerverse.chain.WorldState;

class EconomicsTest {

  private static final long LISTING = 1_800_000_000L;

  @Test
  void whitepaperAllocationPlusRewardPoolIsTheTotalSupplyToTheWei() {
    List<Allocation> allocations = Genesis.whitepaperAllocations(addresses(), LISTING, LISTING + 100 * Genesis.DAY);
    BigInteger allocated = allocations.stream().map(Allocation::amount).reduce(BigInteger.ZERO, BigInteger::add);
    assertEquals(Economics.coins(980_000_000), allocated);
    assertEquals(new BigInteger("1400000000000000000000000000"), allocated.add(Economics.REWARD_POOL));
    assertEquals(Economics.TOTAL_SUPPLY, allocated.add(Economics.REWARD_POOL));
    Map<String, Long> coins = Map.of("SEED", 140_000_000L, "ANGEL", 140_000_000L, "ROUND_A", 140_000_000L,
        "PRESALE", 70_000_000L, "AIRDROP", 28_000_000L, "TEAM", 210_000_000L, "COMPLIANCE", 42_000_000L,
        "OPERATION", 70_000_000L, "FOUNDATION", 140_000_000L);
    for (Allocation a : allocations) {
      assertEquals(Economics.coins(coins.get(a.name())), a.amount(), a.name());
    }
  }

  @Test
  void vestingSchedulesUnlockAsTheWhitepaperLists() {
    long day = Genesis.DAY;
    long month = Genesis.MONTH;
    Map<String, Allocation> byName = new java.util.HashMap<>();
    Genesis.whitepaperAllocations(addresses(), LISTING, LISTING + 100 * day).forEach(a -> byName.put(a.name(), a));
    Allocation seed = byName.get("SEED");
    assertEquals(Economics.coins(140_000_000), seed.lockedAt(LISTING + 60 * day - 1));
    assertEquals(Economics.coins(126_000_000), seed.lockedAt(LISTING + 60 * day));
    assertEquals(BigInteger.ZERO, seed.lockedAt(LISTING + 60 * day + 9 * month));
    Allocation presale = byName.get("PRESALE");
    assertEquals(Economics.coins(42_000_000), presale.lockedAt(LISTING), "40 % free from genesis");
    assertEquals(Economics.coins(35_000_000), presale.lockedAt(LISTING + 100 * day));
    Allocation team = byName.get("TEAM");
    assertEquals(Economics.coins(199_500_000), team.lockedAt(LISTING + 60 * day));
    assertEquals(Economics.coins(199_500_000), team.lockedAt(LISTING + 3 * Genesis.YEAR - 1));
    assertEquals(Economics.coins(179_550_000), team.lockedAt(LISTING + 3 * Genesis.YEAR));
    assertEquals(BigInteger.ZERO, byName.get("AIRDROP").lockedAt(LISTING));
    Allocation operation = byName.get("OPERATION");
    assertEquals(48, operation.vesting().size());
    assertEquals(Economics.coins(70_000_000),
        operation.vesting().stream().map(VestingTranche::amount).reduce(BigInteger.ZERO, BigInteger::add),
        "the last tranche takes the remainder of 70,000,000 / 48");
    assertEquals(BigInteger.ZERO, operation.lockedAt(LISTING + 30 * day + 47 * month));
  }

  @Test
  void oneSecondBlocksGiveTheRealSchedule() {
    Economics economics = new Economics(1_000);
    assertEquals(157_788_000L, economics.blocksPerEra());
    // 420,000,000 coins / (2 × 157,788,000 blocks), floored to the wei (computed with Python integers).
    assertEquals(new BigInteger("1330899688189215909"), economics.initialReward());
    assertEquals(economics.initialReward(), economics.blockReward(1));
    assertEquals(economics.initialReward(), economics.blockReward(157_788_000L));
    assertEquals(economics.initialReward().shiftRight(1), economics.blockReward(157_788_001L));
    assertEquals(BigInteger.ZERO, economics.blockReward(0));
    // After 30 years (6 eras) 63/64 of the first era's double is minted; the pool is never exceeded.
    BigInteger thirtyYears = economics.mintedThrough(6 * 157_788_000L);
    BigInteger expected = BigInteger.ZERO;
    for (int era = 0; era < 6; era++) {
      expected = expected.add(economics.initialReward().shiftRight(era).multiply(BigInteger.valueOf(157_788_000L)));
    }
    assertEquals(expected, thirtyYears);
    BigInteger forever = economics.mintedThrough(Long.MAX_VALUE / 2);
    assertTrue(forever.compareTo(Economics.REWARD_POOL) <= 0, forever.toString());
    assertTrue(Economics.REWARD_POOL.subtract(forever).compareTo(Economics.coins(2)) < 0,
        "all but dust of the pool is minted: left " + Economics.REWARD_POOL.subtract(forever));
    assertEquals(BigInteger.ZERO, economics.blockReward(Long.MAX_VALUE / 2));
  }

  @Test
  void foundationGetsThreePercentOfEveryRewardFlooredAndTheProposerTheRest() {
    assertEquals(BigInteger.valueOf(3), Economics.foundationShare(BigInteger.valueOf(100)));
    assertEquals(BigInteger.valueOf(2), Economics.foundationShare(BigInteger.valueOf(99)));
    assertEquals(new BigInteger("39926990645676477"), Economics.foundationShare(new BigInteger("1330899688189215909")));
  }

  /**
   * Four decades of one-day blocks (an era is then 1,826 blocks, so eight halvings), every block
   * built by the ledger: the state's balances match the closed-form schedule to the wei at the
   * end, the foundation holds exactly the sum of its 3 % shares, and nothing else was created.
   */
  @Test
  void fortyYearsOfBlocksMintExactlyTheScheduleToTheWei() {
    Genesis genesis = TestChain.genesis(1, 86_400_000L);
    Economics economics = genesis.economics();
    assertEquals(1_826, economics.blocksPerEra());
    Ledger ledger = new Ledger(genesis);
    Block parent = ledger.genesisBlock();
    WorldState state = ledger.genesisState();
    long blocks = 8 * 1_826 + 100;
    BigInteger foundation = BigInteger.ZERO;
    Address[] proposers = {TestChain.PROPOSER, Address.fromHex("0x0000000000000000000000000000000000012345")};
    for (long height = 1; height <= blocks; height++) {
      Ledger.Executed executed = ledger.build(parent.header(), state, proposers[(int) (height % 2)], 0,
          parent.header().timestamp() + 86_400, new byte[0], List.of());
      foundation = foundation.add(Economics.foundationShare(economics.blockReward(height)));
      parent = executed.block();
      state = executed.state();
    }
    BigInteger minted = economics.mintedThrough(blocks);
    assertEquals(foundation, state.account(TestChain.FOUNDATION).balance());
    assertEquals(minted.subtract(foundation),
        state.account(proposers[0]).balance().add(state.account(proposers[1]).balance()));
    assertEquals(TestChain.FUNDS.add(minted), LedgerTest.totalBalance(state));
    assertEquals(economics.initialReward().shiftRight(8), economics.blockReward(blocks));
  }

  private static Map<Genesis.Category, Address> addresses() {
    Map<Genesis.Category, Address> to = new EnumMap<>(Genesis.Category.class);
    for (Genesis.Category c : Genesis.Category.values()) {
      byte[] bytes = new byte[20];
      bytes[19] = (byte) (c.ordinal() + 1);
      to.put(c, new Address(bytes));
    }
    return to;
  }
}
