package org.powerverse.chain.bench;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.internal.InProcessValidators;
import org.powerverse.chain.internal.ValidatorShell;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;

/**
 * N validators in one process for FinalityBench and ThroughputBench: each with its own LMDB store
 * under {@code dir}, connected in process, started off the event loop and ticked every 5 ms on real
 * timers. Closing stops the ticks, then Vert.x, then the stores.
 */
final class InProcessNetwork implements AutoCloseable {

  final List<ChainNode> nodes;
  private final Vertx vertx;
  private final AtomicBoolean running;

  private InProcessNetwork(Vertx vertx, List<ChainNode> nodes, AtomicBoolean running) {
    this.vertx = vertx;
    this.nodes = nodes;
    this.running = running;
  }

  static InProcessNetwork start(Vertx vertx, Ledger ledger, Path dir, int validators, long timeoutMs) {
    Timeouts timeouts = new Timeouts(timeoutMs, timeoutMs, timeoutMs, timeoutMs / 2, 3 * timeoutMs);
    List<ChainNode> nodes = new ArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    long origin = System.nanoTime();
    for (int i = 0; i < validators; i++) {
      nodes.add(new ChainNode(ledger, dir.resolve("v" + i), SenderRecovery.fastest(), Clock.systemUTC()));
    }
    List<ValidatorShell> shells = InProcessValidators.create(vertx, ledger.genesis(), nodes, timeouts, running,
        () -> (System.nanoTime() - origin) / 1_000_000);
    for (ValidatorShell shell : shells) {
      vertx.executeBlocking(() -> {
        shell.start();
        return null;
      }).await();
      vertx.setPeriodic(5, id -> {
        if (running.get()) {
          vertx.executeBlocking(() -> {
            shell.tick();
            return null;
          }, false);
        }
      });
    }
    return new InProcessNetwork(vertx, nodes, running);
  }

  /** Prints p50/p90/p99/max of latencies given in microseconds (sorts them). */
  static void printLatencies(List<Long> micros) {
    if (micros.isEmpty()) {
      return;
    }
    micros.sort(Long::compare);
    System.out.printf("finality latency ms: p50=%.1f p90=%.1f p99=%.1f max=%.1f%n",
        micros.get(micros.size() / 2) / 1000.0, micros.get(micros.size() * 9 / 10) / 1000.0,
        micros.get(Math.min(micros.size() - 1, micros.size() * 99 / 100)) / 1000.0, micros.getLast() / 1000.0);
  }

  @Override
  public void close() {
    running.set(false);
    vertx.close().await();
    nodes.forEach(ChainNode::close);
  }
}
