package org.powerverse.chain.internal;

import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.powerverse.chain.Address;
import org.powerverse.chain.ChainConfig;
import org.powerverse.chain.ChainStatus;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.GenesisJson;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.consensus.ValidatorSet;
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
 * and, with {@code chain.produceBlocks}, runs the consensus core as the only validator (its
 * timeouts, one target block time each, make the block time; the validator network is not wired
 * yet). Disabled, it only answers its
 * status with {@code enabled: false}.
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
  private SubsystemContext context;

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
        head.hash().toString(), 0, config.produceBlocks(), rpcPort, current.pendingCount());
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
        if (!config.produceBlocks()) {
          return Future.succeededFuture();
        }
        // One validator running the consensus core; its timeouts make the block time.
        long t = genesis.targetBlockTimeMillis();
        long origin = System.nanoTime();
        ValidatorShell validator = new ValidatorShell(0, new ValidatorSet(List.of(1L)), node,
            Address.fromHex(config.coinbase()), new Timeouts(t, t, t, Math.max(1, t / 2), 2 * t), message -> {},
            () -> (System.nanoTime() - origin) / 1_000_000);
        shell = validator;
        return context.vertx().executeBlocking(() -> {
          validator.start(); // may build the first proposal: off the event loop
          return null;
        }).map(v -> {
          timer = context.vertx().setPeriodic(Math.max(1, Math.min(10, t / 10)), id -> tick(validator));
          return null;
        });
      }).map(v -> {
        health = Health.ready(context.clock().instant());
        return (Void) null;
      });
    }).onFailure(e -> health = Health.failed(String.valueOf(e.getMessage()), context.clock().instant()));
  }

  private void tick(ValidatorShell validator) {
    if (!producing.compareAndSet(false, true)) {
      return; // the previous tick is still running (writing a block)
    }
    context.vertx().executeBlocking(() -> {
      validator.tick();
      return null;
    }, false)
        .onComplete(done -> {
          producing.set(false);
          if (done.failed() && timer >= 0) { // a tick racing stop() finds the store closed: not a fault
            health = Health.degraded("block production failed: " + done.cause().getMessage(), context.clock().instant());
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
    if (timer >= 0) {
      context.vertx().cancelTimer(timer);
      timer = -1;
    }
    Future<Void> closed = rpc == null ? Future.succeededFuture() : rpc.close();
    return closed.compose(v -> context.vertx().executeBlocking(() -> {
      ChainNode current = node;
      node = null;
      if (current != null) {
        ValidatorShell validator = shell;
        shell = null;
        if (validator != null) {
          synchronized (validator) { // waits for a tick in progress (the shell's lock) before closing the store
            current.close();
          }
        } else {
          current.close();
        }
      }
      health = Health.stopped(context.clock().instant());
      return (Void) null;
    }));
  }
}
