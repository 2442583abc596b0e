package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.powerverse.chain.Address;
import org.powerverse.chain.Allocation;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.LegacyTransaction;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.Transactions;
import org.powerverse.chain.VestingTranche;

/** A small genesis with funded keys (private key i+1) for ledger tests. */
public final class TestChain {

  public static final long CHAIN_ID = 7_777;
  public static final long GENESIS_TIME = 1_800_000_000L;
  public static final BigInteger GWEI = BigInteger.TEN.pow(9);
  public static final BigInteger FUNDS = Economics.coins(1_000);
  public static final Address FOUNDATION = Address.fromHex("0x00000000000000000000000000000000000f0f0f");
  public static final Address PROPOSER = Address.fromHex("0x00000000000000000000000000000000000abcde");

  private TestChain() {}

  public static byte[] key(int i) {
    byte[] key = new byte[32];
    key[31] = (byte) (i + 1);
    key[0] = 0x11;
    return key;
  }

  public static Address address(int i) {
    return Transactions.address(key(i));
  }

  /** Keys 0..funded-1 get FUNDS each; key 9, if funded, has half of it locked until a day after genesis. */
  public static Genesis genesis(int funded, long targetBlockTimeMillis) {
    List<Allocation> allocations = new ArrayList<>();
    for (int i = 0; i < funded; i++) {
      List<VestingTranche> vesting = i == 9
          ? List.of(new VestingTranche(GENESIS_TIME + 86_400, FUNDS.divide(BigInteger.TWO)))
          : List.of();
      allocations.add(new Allocation("test-" + i, address(i), FUNDS, vesting));
    }
    return new Genesis(CHAIN_ID, GENESIS_TIME, GENESIS_TIME, targetBlockTimeMillis, 30_000_000, GWEI, 10,
        Economics.coins(100), FOUNDATION, allocations);
  }

  /** The Ed25519 key of test validator i (seed 0x22.. i+1). */
  public static org.powerverse.chain.internal.p2p.ValidatorKey validatorKey(int i) {
    byte[] seed = new byte[32];
    seed[0] = 0x22;
    seed[31] = (byte) (i + 1);
    return org.powerverse.chain.internal.p2p.ValidatorKey.fromSeed(seed);
  }

  /** The staking address of test validator i: the account of key 100 + i. */
  public static Address validatorAddress(int i) {
    return address(100 + i);
  }

  /** {@link #genesis} with {@code validators} validators staked at genesis, 1,000 coins times (i + 1) each. */
  public static Genesis genesisWithValidators(int funded, long targetBlockTimeMillis, int validators) {
    Genesis g = genesis(funded, targetBlockTimeMillis);
    List<org.powerverse.chain.StakedValidator> staked = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      staked.add(new org.powerverse.chain.StakedValidator(validatorAddress(i), Economics.coins(1_000L * (i + 1)),
          new org.powerverse.chain.Bytes32(validatorKey(i).publicKey())));
    }
    return new Genesis(g.chainId(), g.timestamp(), g.listingTime(), g.targetBlockTimeMillis(), g.gasLimit(),
        g.initialBaseFee(), g.unbondingBlocks(), g.minimumStake(), g.foundation(), g.allocations(), staked);
  }

  public static RecoveredTransaction dynamic(int from, long nonce, Address to, BigInteger value, BigInteger tip,
      BigInteger maxFee, byte[] data) {
    DynamicFeeTransaction tx = new DynamicFeeTransaction(CHAIN_ID, nonce, tip, maxFee, 100_000, Optional.of(to),
        value, data, List.of());
    return new RecoveredTransaction(Transactions.sign(tx, key(from)), address(from));
  }

  public static RecoveredTransaction transfer(int from, long nonce, Address to, BigInteger value) {
    return dynamic(from, nonce, to, value, GWEI, GWEI.multiply(BigInteger.valueOf(3)), new byte[0]);
  }

  public static RecoveredTransaction legacy(int from, long nonce, Address to, BigInteger value, BigInteger gasPrice) {
    SignedTransaction tx = Transactions.sign(new LegacyTransaction(CHAIN_ID, nonce, gasPrice, 21_000, Optional.of(to),
        value, new byte[0]), key(from));
    return new RecoveredTransaction(tx, address(from));
  }
}
