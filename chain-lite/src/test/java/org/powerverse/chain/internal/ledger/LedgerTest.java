package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.powerverse.chain.internal.ledger.TestChain.GWEI;
import static org.powerverse.chain.internal.ledger.TestChain.address;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.BlockHeader;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.InvalidBlockException;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.Transactions;
import org.powerverse.chain.WorldState;

class LedgerTest {

  private final Genesis genesis = TestChain.genesis(10, 1_000);
  private final Ledger ledger = new Ledger(genesis);
  private final Block genesisBlock = ledger.genesisBlock();
  private final WorldState genesisState = ledger.genesisState();
  private final Address bob = Address.fromHex("0x00000000000000000000000000000000000b0b00");

  private Ledger.Executed build(List<RecoveredTransaction> txs) {
    return ledger.build(genesisBlock.header(), genesisState, TestChain.PROPOSER, 0, TestChain.GENESIS_TIME + 1,
        new byte[0], txs);
  }

  @Test
  void dynamicFeeTransferPaysBaseFeeToNobodyAndTipToProposer() {
    BigInteger value = Economics.coins(5);
    Ledger.Executed executed = build(List.of(TestChain.transfer(0, 0, bob, value)));
    assertEquals(List.of(), executed.rejected());
    WorldState state = executed.state();
    // The genesis block used no gas, so block 1's base fee is 7/8 of the genesis 1 gwei (EIP-1559).
    BigInteger baseFee = FeeMarket.nextBaseFee(30_000_000, 0, GWEI);
    assertEquals(BigInteger.valueOf(875_000_000L), baseFee);
    BigInteger price = baseFee.add(GWEI); // tip 1 gwei, max fee 3 gwei not binding
    BigInteger fee = price.multiply(BigInteger.valueOf(21_000));
    assertEquals(TestChain.FUNDS.subtract(value).subtract(fee), state.account(address(0)).balance());
    assertEquals(1, state.account(address(0)).nonce());
    assertEquals(value, state.account(bob).balance());
    BigInteger reward = genesis.economics().blockReward(1);
    BigInteger tip = GWEI.multiply(BigInteger.valueOf(21_000));
    assertEquals(reward.subtract(Economics.foundationShare(reward)).add(tip), state.account(TestChain.PROPOSER).balance());
    assertEquals(Economics.foundationShare(reward), state.account(TestChain.FOUNDATION).balance());
    // Supply: what was allocated plus the reward, minus the burned base fee, to the wei.
    BigInteger burned = baseFee.multiply(BigInteger.valueOf(21_000));
    assertEquals(TestChain.FUNDS.multiply(BigInteger.TEN).add(reward).subtract(burned), totalBalance(state));
    assertEquals(21_000, executed.block().header().gasUsed());
    assertTrue(executed.receipts().getFirst().success());
    assertEquals(price, executed.receipts().getFirst().effectiveGasPrice());
  }

  @Test
  void legacyTransferPaysItsWholeGasPriceAboveBaseFeeToTheProposer() {
    BigInteger gasPrice = GWEI.multiply(BigInteger.TWO);
    Ledger.Executed executed = build(List.of(TestChain.legacy(1, 0, bob, BigInteger.ONE, gasPrice)));
    assertEquals(List.of(), executed.rejected());
    BigInteger baseFee = BigInteger.valueOf(875_000_000L);
    assertEquals(TestChain.FUNDS.subtract(BigInteger.ONE).subtract(gasPrice.multiply(BigInteger.valueOf(21_000))),
        executed.state().account(address(1)).balance());
    BigInteger reward = genesis.economics().blockReward(1);
    assertEquals(reward.subtract(Economics.foundationShare(reward))
            .add(gasPrice.subtract(baseFee).multiply(BigInteger.valueOf(21_000))),
        executed.state().account(TestChain.PROPOSER).balance());
  }

  @Test
  void leavesOutInvalidTransactionsWithTheirReasons() {
    DynamicFeeTransaction creation = new DynamicFeeTransaction(TestChain.CHAIN_ID, 0, GWEI, GWEI.multiply(BigInteger.TWO),
        100_000, Optional.empty(), BigInteger.ZERO, new byte[] {1}, List.of());
    DynamicFeeTransaction otherChain = new DynamicFeeTransaction(TestChain.CHAIN_ID + 1, 0, GWEI,
        GWEI.multiply(BigInteger.TWO), 21_000, Optional.of(bob), BigInteger.ONE, new byte[0], List.of());
    List<RecoveredTransaction> txs = List.of(
        TestChain.transfer(2, 1, bob, BigInteger.ONE), // nonce gap
        TestChain.transfer(3, 0, bob, TestChain.FUNDS), // value + fee above the balance
        TestChain.dynamic(4, 0, bob, BigInteger.ONE, BigInteger.ZERO, BigInteger.valueOf(1_000), new byte[0]), // max fee < base fee
        new RecoveredTransaction(Transactions.sign(creation, TestChain.key(5)), address(5)),
        new RecoveredTransaction(Transactions.sign(otherChain, TestChain.key(6)), address(6)),
        TestChain.transfer(9, 0, bob, TestChain.FUNDS.divide(BigInteger.valueOf(3)).multiply(BigInteger.TWO)), // vesting-locked
        TestChain.transfer(7, 0, bob, BigInteger.ONE),
        TestChain.transfer(7, 0, bob, BigInteger.TWO)); // same nonce again
    Ledger.Executed executed = build(txs);
    assertEquals(1, executed.block().transactions().size());
    List<String> reasons = executed.rejected().stream().map(Ledger.Rejected::reason).toList();
    assertEquals(7, reasons.size(), reasons.toString());
    assertTrue(reasons.get(0).startsWith("nonce 1 too high"), reasons.get(0));
    assertTrue(reasons.get(1).startsWith("insufficient funds"), reasons.get(1));
    assertTrue(reasons.get(2).startsWith("max fee per gas 1000 below the base fee"), reasons.get(2));
    assertTrue(reasons.get(3).startsWith("contract creation needs the EVM"), reasons.get(3));
    assertTrue(reasons.get(4).startsWith("chain id 7778"), reasons.get(4));
    assertTrue(reasons.get(5).startsWith("insufficient funds"), reasons.get(5));
    assertTrue(reasons.get(6).startsWith("nonce 0 too low"), reasons.get(6));
    assertEquals(BigInteger.ONE, executed.state().account(bob).balance());
  }

  @Test
  void vestedCoinsBecomeSpendableAtTheirUnlockTime() {
    RecoveredTransaction spendAll = TestChain.transfer(9, 0, bob, TestChain.FUNDS.subtract(Economics.coins(1)));
    Ledger.Executed early = ledger.build(genesisBlock.header(), genesisState, TestChain.PROPOSER, 0,
        TestChain.GENESIS_TIME + 86_399, new byte[0], List.of(spendAll));
    assertEquals(1, early.rejected().size());
    Ledger.Executed late = ledger.build(genesisBlock.header(), genesisState, TestChain.PROPOSER, 0,
        TestChain.GENESIS_TIME + 86_400, new byte[0], List.of(spendAll));
    assertEquals(List.of(), late.rejected());
  }

  @Test
  void verifyAcceptsABuiltBlockAndRejectsEveryTamperedRoot() {
    Ledger.Executed executed = build(List.of(TestChain.transfer(0, 0, bob, BigInteger.TEN),
        TestChain.transfer(1, 0, bob, BigInteger.TWO)));
    Block block = executed.block();
    Ledger.Executed verified = ledger.verify(genesisBlock.header(), genesisState, block, SenderRecovery.bouncyCastle());
    assertEquals(executed.state().root(), verified.state().root());
    assertEquals(block.header().stateRoot(), verified.state().root());

    BlockHeader h = block.header();
    Bytes32 bogus = new Bytes32(new byte[32]);
    for (BlockHeader bad : List.of(
        new BlockHeader(h.parentHash(), h.height(), h.round(), h.timestamp(), h.proposer(), h.txRoot(), bogus,
            h.receiptsRoot(), h.gasLimit(), h.gasUsed(), h.baseFeePerGas(), h.vrfProof(), h.certificate()),
        new BlockHeader(h.parentHash(), h.height(), h.round(), h.timestamp(), h.proposer(), bogus, h.stateRoot(),
            h.receiptsRoot(), h.gasLimit(), h.gasUsed(), h.baseFeePerGas(), h.vrfProof(), h.certificate()),
        new BlockHeader(h.parentHash(), h.height(), h.round(), h.timestamp(), h.proposer(), h.txRoot(), h.stateRoot(),
            bogus, h.gasLimit(), h.gasUsed(), h.baseFeePerGas(), h.vrfProof(), h.certificate()),
        new BlockHeader(h.parentHash(), h.height(), h.round(), h.timestamp(), h.proposer(), h.txRoot(), h.stateRoot(),
            h.receiptsRoot(), h.gasLimit(), h.gasUsed(), BigInteger.ONE, h.vrfProof(), h.certificate()),
        new BlockHeader(bogus, h.height(), h.round(), h.timestamp(), h.proposer(), h.txRoot(), h.stateRoot(),
            h.receiptsRoot(), h.gasLimit(), h.gasUsed(), h.baseFeePerGas(), h.vrfProof(), h.certificate()))) {
      assertThrows(InvalidBlockException.class,
          () -> ledger.verify(genesisBlock.header(), genesisState, new Block(bad, block.transactions()),
              SenderRecovery.bouncyCastle()));
    }
    // A reordered body changes the transaction root.
    assertThrows(InvalidBlockException.class, () -> ledger.verify(genesisBlock.header(), genesisState,
        new Block(h, block.transactions().reversed()), SenderRecovery.bouncyCastle()));
  }

  @Test
  void headerRoundTripsAndItsHashIgnoresTheCertificate() {
    BlockHeader header = build(List.of(TestChain.transfer(0, 0, bob, BigInteger.TEN))).block().header();
    BlockHeader certified = header.withCertificate(new byte[] {1, 2, 3});
    assertEquals(header.hash(), certified.hash());
    BlockHeader decoded = BlockHeader.decode(certified.encode());
    assertEquals(certified, decoded);
    assertArrayEquals(new byte[] {1, 2, 3}, decoded.certificate());
  }

  @Test
  void stateRootCommitsToEveryBalance() {
    WorldState a = genesisState.copy();
    WorldState b = genesisState.copy();
    assertEquals(a.root(), b.root());
    b.putAccount(bob, b.account(bob).credit(BigInteger.ONE));
    assertFalse(a.root().equals(b.root()));
    b.putAccount(bob, b.account(bob).debit(BigInteger.ONE));
    assertEquals(a.root(), b.root(), "an emptied account no longer exists (EIP-161)");
  }

  static BigInteger totalBalance(WorldState state) {
    return ((MemoryWorldState) state).addresses().stream().map(a -> state.account(a).balance())
        .reduce(BigInteger.ZERO, BigInteger::add);
  }
}
