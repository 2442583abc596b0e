package org.powerverse.chain.bench;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.powerverse.chain.Address;
import org.powerverse.chain.Allocation;
import org.powerverse.chain.BlockContext;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.Transactions;
import org.powerverse.chain.WorldState;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.ledger.TransferTransition;

/**
 * Transfers per second through the ledger, one thread, senders already recovered: a block of
 * {@link #TRANSFERS} EIP-1559 transfers from distinct senders to fresh accounts over a state of
 * {@link #TRANSFERS} funded accounts. {@code applyTransfers} is the state transition alone;
 * {@code buildBlock} adds the block reward and the three Merkle roots (the state root over the
 * whole state, see docs/chain.md). Scores are transfers/s (OperationsPerInvocation).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class LedgerBenchmarks {

  static final int TRANSFERS = 2_000;
  static final long CHAIN_ID = 7_777;
  static final BigInteger GWEI = BigInteger.TEN.pow(9);

  Ledger ledger;
  WorldState genesisState;
  org.powerverse.chain.BlockHeader genesisHeader;
  List<RecoveredTransaction> block = new ArrayList<>();
  TransferTransition transition;
  BlockContext context;
  Address proposer = Address.fromHex("0x00000000000000000000000000000000000abcde");

  @Setup
  public void setUp() {
    List<Allocation> allocations = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < TRANSFERS; i++) {
      byte[] key = ByteBuffer.allocate(32).put(0, (byte) 0x22).putInt(28, i + 1).array();
      keys.add(key);
      allocations.add(new Allocation("bench-" + i, Transactions.address(key), Economics.coins(1_000), List.of()));
    }
    Genesis genesis = new Genesis(CHAIN_ID, 1_800_000_000L, 1_800_000_000L, 1_000, 100_000_000, GWEI, 10,
        Economics.coins(100), Address.fromHex("0x00000000000000000000000000000000000f0f0f"), allocations);
    ledger = new Ledger(genesis);
    genesisState = ledger.genesisState();
    genesisHeader = ledger.genesisBlock().header();
    transition = new TransferTransition(genesis);
    context = new BlockContext(CHAIN_ID, 1, 1_800_000_001L, proposer, ledger.baseFeeAfter(genesisHeader), 100_000_000);
    for (int i = 0; i < TRANSFERS; i++) {
      Address to = new Address(ByteBuffer.allocate(20).putInt(16, 1_000_000 + i).array());
      DynamicFeeTransaction tx = new DynamicFeeTransaction(CHAIN_ID, 0, GWEI, GWEI.multiply(BigInteger.valueOf(3)),
          21_000, Optional.of(to), BigInteger.valueOf(i + 1), new byte[0], List.of());
      block.add(new RecoveredTransaction(Transactions.sign(tx, keys.get(i)), Transactions.address(keys.get(i))));
    }
  }

  @Benchmark
  @OperationsPerInvocation(TRANSFERS)
  public WorldState applyTransfers() {
    WorldState state = genesisState.copy();
    long gas = 0;
    for (RecoveredTransaction tx : block) {
      gas = transition.apply(state, context, tx.transaction(), tx.sender(), gas).cumulativeGasUsed();
    }
    return state;
  }

  @Benchmark
  @OperationsPerInvocation(TRANSFERS)
  public Ledger.Executed buildBlock() {
    Ledger.Executed executed = ledger.build(genesisHeader, genesisState, proposer, 0, 1_800_000_001L, new byte[0], block);
    if (executed.block().transactions().size() != TRANSFERS) {
      throw new IllegalStateException("rejected: " + executed.rejected().getFirst());
    }
    return executed;
  }
}
