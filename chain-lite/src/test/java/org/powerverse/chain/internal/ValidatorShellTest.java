package org.powerverse.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.consensus.ValidatorSet;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.ledger.TestChain;

/**
 * Four validators in one process, each with its own store, running the consensus core on Vert.x
 * timers (real milliseconds) over an in-process network: they finalize the same blocks, including
 * a signed transfer, with a certificate of more than 2/3 of the weight.
 */
@Tag("integration")
class ValidatorShellTest {

  @TempDir
  Path dir;

  private Vertx vertx;
  private final List<ChainNode> nodes = new ArrayList<>();
  private final List<ValidatorShell> shells = new ArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
  private final List<Long> timers = new ArrayList<>();

  @AfterEach
  void stop() {
    running.set(false);
    timers.forEach(vertx::cancelTimer);
    vertx.close().await();
    nodes.forEach(ChainNode::close);
  }

  @Test
  void fourValidatorsFinalizeTheSameBlocksWithATransfer() throws Exception {
    Ledger ledger = new Ledger(TestChain.genesis(4, 1_000));
    ValidatorSet set = new ValidatorSet(List.of(10L, 20L, 30L, 40L));
    Timeouts timeouts = new Timeouts(150, 150, 150, 100, 300);
    long origin = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      nodes.add(new ChainNode(ledger, dir.resolve("v" + i), SenderRecovery.fastest(), Clock.systemUTC()));
    }
    for (int i = 0; i < 4; i++) {
      int self = i;
      Address coinbase = new Address(java.nio.ByteBuffer.allocate(20).putInt(16, 0xC0 + i).array());
      shells.add(new ValidatorShell(i, set, nodes.get(i), coinbase, timeouts, message -> {
        for (int to = 0; to < 4; to++) {
          if (to != self && running.get()) {
            ValidatorShell peer = shells.get(to);
            vertx.executeBlocking(() -> {
              peer.receive(message);
              return null;
            }, false);
          }
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
    for (long height = 1; height <= 4; height++) {
      Block reference = nodes.get(0).block(height).orElseThrow();
      for (ChainNode node : nodes) {
        Block block = node.block(height).orElseThrow();
        assertEquals(reference.hash(), block.hash(), "height " + height);
        assertTrue(block.header().certificate().length > 0, "certified at height " + height);
      }
    }
    for (ChainNode node : nodes) {
      assertEquals(BigInteger.valueOf(77), node.state().account(Address.fromHex("0x00000000000000000000000000000000000b0b00")).balance());
      assertTrue(node.receipt(transfer).orElseThrow().success());
    }
  }

  /** Waits for a condition with a bound (not a timing assertion: the bound only stops a hang). */
  private static void awaitCondition(BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within " + seconds + " s");
      Thread.sleep(20);
    }
  }
}
