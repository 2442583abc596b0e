package org.powerverse.chain.internal;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.powerverse.chain.Address;
import org.powerverse.chain.ChainConfig;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.ChainStatus;
import org.powerverse.chain.Economics;
import org.powerverse.chain.StakedValidator;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.GenesisJson;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.p2p.P2pNetwork;
import org.powerverse.chain.internal.p2p.ValidatorKey;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.rpc.JsonRpc;
import org.powerverse.chain.internal.rpc.JsonRpcServer;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Health;
import org.powerverse.platform.Subsystem;
import org.powerverse.platform.SubsystemContext;

/**
 * The chain subsystem: opens the ledger in its data directory, serves JSON-RPC on its own port
 * and runs the consensus core: with {@code chain.validatorKeyFile} as one of the genesis
 * validators over the validator network (P2P, docs/chain.md), with {@code chain.produceBlocks}
 * alone. Its timeouts, one target block time each, make the block time. The core runs on one
 * thread of its own (ticks and peer messages in order); pooling peers' transactions on another.
 * Disabled, it only answers its status with {@code enabled: false}.
 */
public final class ChainSubsystem implements Subsystem {

  private final ChainConfig config;
  private final SenderRecovery recovery;
  private final AtomicBoolean producing = new AtomicBoolean();
  private volatile Health health;
  private volatile ChainNode node;
  private volatile JsonRpcServer rpc;
  private volatile int rpcPort;
  private volatile long timer = -1;
  private volatile ValidatorShell shell;
  private volatile P2pNetwork p2p;
  private volatile int p2pPort;
  private volatile long gossipTimer = -1;
  private volatile ExecutorService consensus;
  private volatile ExecutorService admission;
  private final List<byte[]> outgoing = new ArrayList<>();
  private final long origin = System.nanoTime();
  private volatile boolean stopping;
  private SubsystemContext context;

  /** How often transactions submitted here are sent to the other validators, batched. */
  static final long GOSSIP_INTERVAL_MILLIS = 10;

  public ChainSubsystem(ChainConfig config, SenderRecovery recovery) {
    this.config = config;
    this.recovery = recovery;
  }

  @Override
  public String name() {
    return "chain";
  }

  @Override
  public Optional<String> openApiResource() {
    return Optional.of("org/powerverse/chain/openapi.yaml");
  }

  @Override
  public void mount(ApiRoutes routes) {
    routes.handle("getChainStatus", request -> ApiResponse.ok(status()));
  }

  public ChainStatus status() {
    ChainNode current = node;
    if (current == null) {
      return new ChainStatus(config.enabled(), 0, 0, 0, null, 0, false, 0, 0);
    }
    var head = current.head().header();
    ValidatorShell validator = shell;
    return new ChainStatus(true, current.ledger().genesis().chainId(), head.height(),
        validator == null ? head.round() : validator.round(),
        head.hash().toString(), 0, validator != null, rpcPort, current.pendingCount());
  }

  /** The bound validator network port (0 when the node does not validate with peers). */
  public int p2pPort() {
    return p2pPort;
  }

  /** The validator network's counters, when it runs. */
  public Optional<P2pNetwork.Stats> networkStats() {
    P2pNetwork network = p2p;
    return network == null ? Optional.empty() : Optional.of(network.stats());
  }

  /** The consensus round this node is in (0 when it does not validate). */
  public int round() {
    ValidatorShell current = shell;
    return current == null ? 0 : current.round();
  }

  @Override
  public Future<Void> start(SubsystemContext context) {
    this.context = context;
    if (!config.enabled()) {
      health = Health.ready(context.clock().instant());
      return Future.succeededFuture();
    }
    health = Health.starting(context.clock().instant());
    return context.vertx().executeBlocking(() -> {
      Genesis genesis = GenesisJson.parse(readGenesis(Path.of(config.genesisFile())));
      node = new ChainNode(new Ledger(genesis), context.dataDir().resolve("ledger"), recovery, context.clock());
      return genesis;
    }).compose(genesis -> {
      rpc = new JsonRpcServer(context.vertx(), new JsonRpc(node));
      return rpc.listen(config.rpcHost(), config.rpcPort()).compose(port -> {
        rpcPort = port;
        if (config.validatorKeyFile() != null) {
          return startValidator(genesis);
        }
        if (config.produceBlocks()) {
          return startSolo(genesis);
        }
        return Future.succeededFuture();
      }).map(v -> {
        health = Health.ready(context.clock().instant());
        return (Void) null;
      });
    }).onFailure(e -> health = Health.failed(String.valueOf(e.getMessage()), context.clock().instant()));
  }

  /** The consensus core's timeouts: one target block time each (docs/chain.md). */
  private static Timeouts timeouts(Genesis genesis) {
    long t = genesis.targetBlockTimeMillis();
    return new Timeouts(t, t, t, Math.max(1, t / 2), 2 * t);
  }

  /** One validator alone, with a key made now: the roster is itself, so it is always the proposer. */
  private Future<Void> startSolo(Genesis genesis) {
    byte[] seed = new byte[ValidatorKey.SEED_BYTES];
    context.random().nextBytes(seed);
    ValidatorKey key = ValidatorKey.fromSeed(seed);
    ValidatorRoster roster = new ValidatorRoster(List.of(new StakedValidator(Address.fromHex(config.coinbase()),
        Economics.WEI_PER_COIN, new Bytes32(key.publicKey()))));
    ValidatorShell.Network alone = new ValidatorShell.Network() {
      @Override
      public void broadcast(int type, byte[] payload) {}

      @Override
      public void send(int validator, int type, byte[] payload) {}

      @Override
      public void relay(int type, byte[] payload, int except) {}

      @Override
      public void ban(int validator, String reason) {}
    };
    return runShell(new ValidatorShell(roster, key, node, timeouts(genesis), alone, this::millis), genesis);
  }

  /** One of the genesis validators, with its peers over the validator network. */
  private Future<Void> startValidator(Genesis genesis) {
    ValidatorKey key = ValidatorKey.read(Path.of(config.validatorKeyFile()));
    if (genesis.validators().isEmpty()) {
      return Future.failedFuture("chain.validatorKeyFile is set but the genesis names no validators");
    }
    ValidatorRoster roster = new ValidatorRoster(genesis.validators());
    consensus = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chain-consensus").daemon().factory());
    admission = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chain-tx-admission").daemon().factory());
    P2pNetwork network = new P2pNetwork(context.vertx(), key, roster.publicKeys(), node.ledger().genesisBlock().hash().bytes(),
        P2pNetwork.Limits.DEFAULT, context.random(), this::millis, this::onPeerMessage);
    p2p = network;
    ValidatorShell validator = new ValidatorShell(roster, key, node, timeouts(genesis), new ValidatorShell.Network() {
      @Override
      public void broadcast(int type, byte[] payload) {
        network.broadcast(type, payload);
      }

      @Override
      public void send(int to, int type, byte[] payload) {
        network.send(to, type, payload);
      }

      @Override
      public void relay(int type, byte[] payload, int except) {
        network.relay(type, payload, except);
      }

      @Override
      public void ban(int peer, String reason) {
        network.ban(peer, reason);
      }
    }, this::millis);
    node.onSubmitted(this::gossip);
    return network.listen(config.p2pHost(), config.p2pPort()).compose(port -> {
      p2pPort = port;
      network.dial(config.peers());
      gossipTimer = context.vertx().setPeriodic(GOSSIP_INTERVAL_MILLIS, id -> flushGossip());
      return runShell(validator, genesis);
    });
  }

  private Future<Void> runShell(ValidatorShell validator, Genesis genesis) {
    shell = validator;
    if (consensus == null) {
      consensus = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chain-consensus").daemon().factory());
    }
    long t = genesis.targetBlockTimeMillis();
    Promise<Void> started = Promise.promise();
    consensus.execute(() -> {
      try {
        validator.start(); // may build the first proposal: off the event loop
        started.complete();
      } catch (RuntimeException e) {
        started.fail(e);
      }
    });
    return started.future().map(v -> {
      timer = context.vertx().setPeriodic(Math.max(1, Math.min(10, t / 10)), id -> tick(validator));
      return null;
    });
  }

  private long millis() {
    return (System.nanoTime() - origin) / 1_000_000;
  }

  private void onPeerMessage(int from, int type, byte[] payload) {
    ValidatorShell validator = shell;
    if (type == ConsensusWire.TRANSACTIONS) {
      admission.execute(() -> {
        if (!stopping) {
          admit(from, payload);
        }
      });
    } else if (validator != null) {
      consensus.execute(() -> {
        if (stopping) {
          return;
        }
        try {
          validator.receive(from, type, payload);
        } catch (RuntimeException e) {
          fault(e);
        }
      });
    }
  }

  /** Transactions a peer's clients submitted: pooled here too; ones this pool refuses (known, stale nonce) are skipped. */
  private void admit(int from, byte[] payload) {
    List<byte[]> raw;
    try {
      raw = ConsensusWire.decodeTransactions(payload);
    } catch (IllegalArgumentException e) {
      p2p.ban(from, "undecodable transactions message: " + e.getMessage());
      return;
    }
    ChainNode current = node;
    for (byte[] tx : raw) {
      try {
        if (current != null) {
          current.admit(tx);
        }
      } catch (IllegalArgumentException | IllegalStateException e) {
        // InvalidTransactionException is an IllegalArgumentException; the store may close under us at stop.
      }
    }
  }

  private void gossip(byte[] raw) {
    synchronized (outgoing) {
      outgoing.add(raw);
    }
  }

  private void flushGossip() {
    List<byte[]> batch;
    synchronized (outgoing) {
      if (outgoing.isEmpty()) {
        return;
      }
      batch = new ArrayList<>(outgoing.subList(0, Math.min(outgoing.size(), ConsensusWire.MAX_TRANSACTIONS)));
      outgoing.subList(0, batch.size()).clear();
    }
    P2pNetwork network = p2p;
    if (network != null) {
      network.broadcast(ConsensusWire.TRANSACTIONS, ConsensusWire.encodeTransactions(batch));
    }
  }

  private void fault(Throwable e) {
    if (!stopping) { // a tick racing stop() finds the store closed: not a fault
      health = Health.degraded("block production failed: " + e.getMessage(), context.clock().instant());
    }
  }

  private void tick(ValidatorShell validator) {
    if (!producing.compareAndSet(false, true)) {
      return; // the previous tick is still running (writing a block)
    }
    consensus.execute(() -> {
      if (stopping) {
        return;
      }
      try {
        validator.tick();
      } catch (RuntimeException e) {
        fault(e);
      } finally {
        producing.set(false);
      }
    });
  }

  private static byte[] readGenesis(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("chain.genesisFile " + file + " cannot be read: " + e.getMessage(), e);
    }
  }

  @Override
  public Health health() {
    return health == null ? Health.stopped(java.time.Instant.EPOCH) : health;
  }

  @Override
  public Future<Void> stop() {
    if (context == null) {
      return Future.succeededFuture();
    }
    stopping = true;
    if (timer >= 0) {
      context.vertx().cancelTimer(timer);
      timer = -1;
    }
    if (gossipTimer >= 0) {
      context.vertx().cancelTimer(gossipTimer);
      gossipTimer = -1;
    }
    Future<Void> closed = rpc == null ? Future.succeededFuture() : rpc.close();
    return closed.compose(v -> context.vertx().executeBlocking(() -> {
      P2pNetwork network = p2p;
      p2p = null;
      if (network != null) {
        network.close();
      }
      shutdown(admission);
      shutdown(consensus); // waits for a tick or message in progress before the store closes
      admission = null;
      consensus = null;
      shell = null;
      ChainNode current = node;
      node = null;
      if (current != null) {
        current.close();
      }
      health = Health.stopped(context.clock().instant());
      return (Void) null;
    }));
  }

  private static void shutdown(ExecutorService executor) throws InterruptedException {
    if (executor != null) {
      executor.shutdown(); // queued work sees stopping and returns; a running tick finishes its block
      if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the chain's consensus thread did not stop within 30 s");
      }
    }
  }
}
