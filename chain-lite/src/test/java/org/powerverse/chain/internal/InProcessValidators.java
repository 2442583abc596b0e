package org.powerverse.chain.internal;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.TestChain;

/**
 * Validator shells of {@link TestChain#genesisWithValidators} in one process, exchanging the
 * network's byte messages through Vert.x worker tasks (for tests and the in-process benchmarks).
 */
public final class InProcessValidators {

  private InProcessValidators() {}

  /** One shell per node; node i runs test validator i. Messages flow while {@code running}. */
  public static List<ValidatorShell> create(Vertx vertx, Genesis genesis, List<ChainNode> nodes, Timeouts timeouts,
      AtomicBoolean running, LongSupplier millis) {
    ValidatorRoster roster = new ValidatorRoster(genesis.validators());
    List<ValidatorShell> shells = new ArrayList<>();
    List<ValidatorShell> byIndex = new ArrayList<>(java.util.Collections.nCopies(nodes.size(), null));
    for (int i = 0; i < nodes.size(); i++) {
      var key = TestChain.validatorKey(i);
      int self = roster.indexOf(key.publicKey());
      ValidatorShell shell = new ValidatorShell(roster, key, nodes.get(i), timeouts, new ValidatorShell.Network() {
        @Override
        public void broadcast(int type, byte[] payload) {
          for (int to = 0; to < byIndex.size(); to++) {
            send(to, type, payload);
          }
        }

        @Override
        public void send(int to, int type, byte[] payload) {
          if (to == self || !running.get()) {
            return;
          }
          ValidatorShell peer = byIndex.get(to);
          vertx.executeBlocking(() -> {
            peer.receive(self, type, payload);
            return null;
          }, false);
        }

        @Override
        public void relay(int type, byte[] payload, int except) {}

        @Override
        public void ban(int validator, String reason) {
          throw new AssertionError("validator " + self + " banned " + validator + ": " + reason);
        }
      }, millis);
      shells.add(shell);
      byIndex.set(self, shell);
    }
    return shells;
  }
}
