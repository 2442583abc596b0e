package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.powerverse.chain.internal.ledger.TestChain.GWEI;
import static org.powerverse.chain.internal.ledger.TestChain.address;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Ecvrf;
import org.powerverse.chain.Economics;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.Receipt;
import org.powerverse.chain.StakedValidator;
import org.powerverse.chain.WorldState;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/** Staking calls encoded by web3j's ABI encoder, as a wallet would send them. */
class StakingTest {

  private final Ledger ledger = new Ledger(TestChain.genesis(4, 1_000));
  private Block parent = ledger.genesisBlock();
  private WorldState state = ledger.genesisState();

  private static byte[] abi(Function function) {
    return HexFormat.of().parseHex(FunctionEncoder.encode(function).substring(2));
  }

  private static byte[] stakeCall(byte[] vrfKey) {
    return abi(new Function("stake", List.of(new org.web3j.abi.datatypes.generated.Bytes32(vrfKey)), List.of()));
  }

  private static byte[] unstakeCall(BigInteger amount) {
    return abi(new Function("unstake", List.of(new Uint256(amount)), List.of()));
  }

  private static byte[] withdrawCall() {
    return abi(new Function("withdraw", List.of(), List.of()));
  }

  private RecoveredTransaction call(int from, long nonce, BigInteger value, byte[] data) {
    return TestChain.dynamic(from, nonce, Staking.ADDRESS, value, GWEI, GWEI.multiply(BigInteger.valueOf(3)), data);
  }

  private List<Receipt> next(RecoveredTransaction... txs) {
    Ledger.Executed executed = ledger.build(parent.header(), state, TestChain.PROPOSER, 0,
        parent.header().timestamp() + 1, new byte[0], List.of(txs));
    assertEquals(List.of(), executed.rejected());
    parent = executed.block();
    state = executed.state();
    return executed.receipts();
  }

  @Test
  void selectorsAreTheSolidityOnes() {
    assertEquals(36, stakeCall(new byte[32]).length);
    assertArrayEquals(java.util.Arrays.copyOf(stakeCall(new byte[32]), 4), Staking.STAKE);
    assertArrayEquals(java.util.Arrays.copyOf(unstakeCall(BigInteger.ONE), 4), Staking.UNSTAKE);
    assertArrayEquals(withdrawCall(), Staking.WITHDRAW);
  }

  @Test
  void stakeRegistersTheVrfKeyAndWeightThenUnstakeUnbondsForTheDelay() {
    byte[] vrfKey = Ecvrf.publicKey(TestChain.key(0));
    BigInteger stake = Economics.coins(250).add(BigInteger.valueOf(17));
    List<Receipt> receipts = next(call(0, 0, stake, stakeCall(vrfKey)), call(1, 0, Economics.coins(100), stakeCall(Ecvrf.publicKey(TestChain.key(1)))));
    assertTrue(receipts.get(0).success(), receipts.get(0).failure());
    assertEquals(21_000 + 16 * 4 + nonZeroCost(vrfKey) + Staking.CALL_GAS, receipts.get(0).gasUsed());
    List<StakedValidator> validators = Staking.validators(state);
    assertEquals(2, validators.size());
    StakedValidator first = validators.stream().filter(v -> v.address().equals(address(0))).findFirst().orElseThrow();
    assertEquals(stake, first.stake());
    assertEquals(250, first.weight());
    assertEquals(new Bytes32(vrfKey), first.vrfPublicKey());
    assertEquals(stake.add(Economics.coins(100)), state.account(Staking.ADDRESS).balance());

    Receipt unstake = next(call(0, 1, BigInteger.ZERO, unstakeCall(stake))).getFirst();
    assertTrue(unstake.success(), unstake.failure());
    long unstakedAt = parent.header().height();
    assertEquals(1, Staking.validators(state).size());
    assertEquals(stake, Staking.unbonding(state, address(0)));

    BigInteger before = state.account(address(0)).balance();
    Receipt early = next(call(0, 2, BigInteger.ZERO, withdrawCall())).getFirst();
    assertFalse(early.success());
    assertTrue(early.failure().startsWith("staking: unbonding until height " + (unstakedAt + 10)), early.failure());
    BigInteger fee = early.effectiveGasPrice().multiply(BigInteger.valueOf(early.gasUsed()));
    assertEquals(before.subtract(fee), state.account(address(0)).balance(), "a failed call pays its fee only");

    while (parent.header().height() < unstakedAt + 9) {
      next();
    }
    before = state.account(address(0)).balance();
    Receipt withdraw = next(call(0, 3, BigInteger.ZERO, withdrawCall())).getFirst();
    assertTrue(withdraw.success(), withdraw.failure());
    BigInteger withdrawFee = withdraw.effectiveGasPrice().multiply(BigInteger.valueOf(withdraw.gasUsed()));
    assertEquals(before.add(stake).subtract(withdrawFee), state.account(address(0)).balance());
    assertEquals(Economics.coins(100), state.account(Staking.ADDRESS).balance());
  }

  @Test
  void malformedCallsFailAndKeepTheValue() {
    BigInteger before = state.account(address(2)).balance();
    List<Receipt> receipts = next(
        call(2, 0, Economics.coins(99), stakeCall(Ecvrf.publicKey(TestChain.key(2)))), // below the minimum
        call(2, 1, Economics.coins(1), new byte[] {1, 2, 3}), // no selector
        call(2, 2, Economics.coins(1), withdrawCall()), // value to a non-payable function
        call(2, 3, BigInteger.ZERO, unstakeCall(BigInteger.ONE))); // nothing staked
    BigInteger fees = BigInteger.ZERO;
    for (Receipt r : receipts) {
      assertFalse(r.success(), r.toString());
      fees = fees.add(r.effectiveGasPrice().multiply(BigInteger.valueOf(r.gasUsed())));
    }
    assertEquals(before.subtract(fees), state.account(address(2)).balance());
    assertEquals(BigInteger.ZERO, state.account(Staking.ADDRESS).balance());
    assertEquals(List.of(), Staking.validators(state));
  }

  private static long nonZeroCost(byte[] bytes) {
    long gas = 0;
    for (byte b : bytes) {
      gas += b == 0 ? 4 : 16;
    }
    return gas;
  }
}
