package org.powerverse.chain.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.powerverse.chain.Address;
import org.powerverse.chain.Ecvrf;
import org.powerverse.chain.RandomTransactions;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.Sortition;
import org.powerverse.chain.SortitionRole;
import org.powerverse.chain.SortitionTicket;
import org.powerverse.chain.Transactions;
import org.powerverse.chain.VrfResult;

/**
 * Operations per second, one thread, of what a validator does per message: VRF prove and
 * verify, the sortition walk, VerifySort, and transaction sender recovery (Bouncy Castle and
 * libsecp256k1, same inputs, same run). Run with scripts/bench/chain.sh.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ChainBenchmarks {

  static final int INPUTS = 256;
  static final long TOTAL_WEIGHT = 1_000_000;
  static final long COMMITTEE_TAU = 2_000;
  static final long WEIGHT = 10_000; // 1 % of the stake: expects 20 committee seats

  byte[] secretKey;
  byte[] publicKey;
  byte[][] alphas = new byte[INPUTS][];
  VrfResult[] proofs = new VrfResult[INPUTS];
  byte[][] outputs = new byte[INPUTS][];
  byte[] seed;
  SortitionTicket[] tickets = new SortitionTicket[INPUTS];
  List<SignedTransaction> transfers = new ArrayList<>();
  List<byte[]> rawTransfers = new ArrayList<>();
  SenderRecovery bouncyCastle = SenderRecovery.bouncyCastle();
  Optional<SenderRecovery> libsecp256k1 = SenderRecovery.libsecp256k1();
  int next;

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    secretKey = new byte[32];
    random.nextBytes(secretKey);
    publicKey = Ecvrf.publicKey(secretKey);
    seed = Sortition.genesisSeed(new byte[32]);
    for (int i = 0; i < INPUTS; i++) {
      alphas[i] = Sortition.alpha(seed, new SortitionRole.Committee(i, 1));
      proofs[i] = Ecvrf.prove(secretKey, alphas[i]);
      outputs[i] = proofs[i].output();
      tickets[i] = Sortition.select(secretKey, seed, COMMITTEE_TAU,
          new SortitionRole.Committee(i, 1), WEIGHT, TOTAL_WEIGHT);
      SignedTransaction tx = Transactions.sign(RandomTransactions.transaction(random),
          RandomTransactions.privateKey(random));
      transfers.add(tx);
      rawTransfers.add(tx.encoded());
    }
  }

  private int nextIndex() {
    next = (next + 1) & (INPUTS - 1);
    return next;
  }

  @Benchmark
  public VrfResult vrfProve() {
    return Ecvrf.prove(secretKey, alphas[nextIndex()]);
  }

  @Benchmark
  public Optional<byte[]> vrfVerify() {
    int i = nextIndex();
    return Ecvrf.verify(publicKey, alphas[i], proofs[i].proof());
  }

  /** The CDF walk alone (whitepaper Sortition minus the VRF): committee, 1 % of the stake. */
  @Benchmark
  public long sortitionWalk() {
    return Sortition.subUsers(outputs[nextIndex()], WEIGHT, TOTAL_WEIGHT, COMMITTEE_TAU);
  }

  /** Whitepaper VerifySort: VRF verification plus the walk, per received vote. */
  @Benchmark
  public long verifySort() {
    int i = nextIndex();
    return Sortition.verify(publicKey, tickets[i].hash(), tickets[i].proof(), seed, COMMITTEE_TAU,
        new SortitionRole.Committee(i, 1), WEIGHT, TOTAL_WEIGHT);
  }

  @Benchmark
  public Optional<Address> senderRecoveryBouncyCastle() {
    return transfers.get(nextIndex()).sender(bouncyCastle);
  }

  @Benchmark
  public Optional<Address> senderRecoveryLibsecp256k1() {
    return transfers.get(nextIndex()).sender(libsecp256k1.orElseThrow(
        () -> new IllegalStateException("libsecp256k1 is not installed")));
  }

  /** What a node does per received transaction before the pool: decode, then recover. */
  @Benchmark
  public Optional<Address> decodeAndRecoverLibsecp256k1() {
    return Transactions.decode(rawTransfers.get(nextIndex())).sender(libsecp256k1.orElseThrow());
  }
}
