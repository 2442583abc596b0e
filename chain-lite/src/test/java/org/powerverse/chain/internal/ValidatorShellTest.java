package org.powerverse.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Ecvrf;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.Sortition;
import org.powerverse.chain.SortitionRole;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.ledger.TestChain;

/**
 * Four validators in one process, each with its own store, running the consensus core on Vert.x
 * timers (real milliseconds) and exchanging the network's signed byte messages in process: they
 * finalize the same blocks, including a signed transfer, with certificates whose every vote
 * verifies, and every non-empty block's proposer was elected by VRF sortition.
 */
@Tag("integration")
class ValidatorShellTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private final List<ChainNode> nodes = new ArrayList<>();
  private final List<ValidatorShell> shells = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final List<Long> timers = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    running.set(false);
    timers.forEach(vertx::cancelTimer);
    vertx.close().await();
    nodes.forEach(ChainNode::close);
  }

  @Test
  void fourValidatorsFinalizeTheSameSignedBlocksWithATransfer() throws Exception {
    Ledger ledger = new Ledger(TestChain.genesisWithValidators(4, 1_000, 4));
    ValidatorRoster roster = new ValidatorRoster(ledger.genesis().validators());
    Timeouts timeouts = new Timeouts(150, 150, 150, 100, 300);
    long origin = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      nodes.add(new ChainNode(ledger, dir.resolve("v" + i), SenderRecovery.fastest(), Clock.systemUTC()));
    }
    List<Integer> banned = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 4; i++) {
      var key = TestChain.validatorKey(i);
      int self = roster.indexOf(key.publicKey());
      shells.add(new ValidatorShell(roster, key, nodes.get(i), timeouts, new ValidatorShell.Network() {
        @Override
        public void broadcast(int type, byte[] payload) {
          for (int to = 0; to < 4; to++) {
            deliver(to, self, type, payload);
          }
        }

        @Override
        public void send(int validator, int type, byte[] payload) {
          deliver(validator, self, type, payload);
        }

        @Override
        public void relay(int type, byte[] payload, int except) {}

        @Override
        public void ban(int validator, String reason) {
          banned.add(validator);
        }
      }, () -> (System.nanoTime() - origin) / 1_000_000));
    }
    byte[] raw = TestChain.transfer(0, 0, Address.fromHex("0x00000000000000000000000000000000000b0b00"), BigInteger.valueOf(77))
        .transaction().encoded();
    Bytes32 hash = null;
    for (ChainNode node : nodes) {
      hash = node.submit(raw); // stands in for transaction gossip
    }
    for (ValidatorShell shell : shells) {
      vertx.executeBlocking(() -> {
        shell.start();
        return null;
      }).await();
      timers.add(vertx.setPeriodic(5, id -> {
        if (running.get()) {
          vertx.executeBlocking(() -> {
            shell.tick();
            return null;
          }, false);
        }
      }));
    }
    Bytes32 transfer = hash;
    awaitCondition(() -> nodes.stream().allMatch(n -> n.head().header().height() >= 4
        && n.receipt(transfer).isPresent()), 60);
    byte[] seed = Sortition.genesisSeed(ledger.genesisBlock().hash().bytes());
    for (long height = 1; height <= 4; height++) {
      Block reference = nodes.get(0).block(height).orElseThrow();
      for (ChainNode node : nodes) {
        Block block = node.block(height).orElseThrow();
        assertEquals(reference.hash(), block.hash(), "height " + height);
        assertCertified(roster, block);
      }
      if (!reference.header().proposer().equals(Ledger.NO_PROPOSER)) {
        int proposer = roster.indexOf(reference.header().proposer());
        assertTrue(proposer >= 0, "proposer is a validator");
        assertTrue(Ecvrf.verify(roster.publicKey(proposer), Sortition.alpha(seed, new SortitionRole.Seed(height)),
            reference.header().vrfProof()).isPresent(), "seed proof of height " + height);
      }
      seed = ValidatorShell.nextSeed(seed, reference.header());
    }
    for (ChainNode node : nodes) {
      assertEquals(BigInteger.valueOf(77), node.state().account(Address.fromHex("0x00000000000000000000000000000000000b0b00")).balance());
      assertTrue(node.receipt(transfer).orElseThrow().success());
    }
    assertEquals(List.of(), banned, "honest validators ban nobody");
  }

  /** More than 2/3 of the weight precommitted this block, each vote signed by its validator. */
  static void assertCertified(ValidatorRoster roster, Block block) {
    var votes = ConsensusWire.decodeCertificate(block.header().certificate());
    java.util.Set<Integer> voters = new java.util.HashSet<>();
    for (var signed : votes) {
      assertEquals(java.util.Optional.of(block.hash()), signed.vote().value());
      assertEquals(block.header().height(), signed.vote().height());
      assertTrue(org.powerverse.chain.internal.p2p.ValidatorKey.verify(roster.publicKey(signed.vote().sender()),
          ConsensusWire.voteSigningBytes(TestChain.CHAIN_ID, signed.vote()), signed.signature()), "vote signature");
      voters.add(signed.vote().sender());
    }
    assertTrue(roster.weights().isQuorum(roster.weights().weightOf(voters)), "quorum at height " + block.header().height());
  }

  private void deliver(int to, int from, int type, byte[] payload) {
    if (to == from || !running.get()) {
      return;
    }
    ValidatorShell peer = shells.get(to);
    vertx.executeBlocking(() -> {
      peer.receive(from, type, payload);
      return null;
    }, false);
  }

  /** Waits for a condition with a bound (not a timing assertion: the bound only stops a hang). */
  static void awaitCondition(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + seconds + " s");
      Thread.sleep(20);
    }
  }
}
