package org.powerverse.chain;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.powerverse.chain.internal.ChainSubsystem;
import org.powerverse.chain.internal.StandaloneContext;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code powerverse chain validator}: runs the chain node of a config file (its {@code chain}
 * section) on its own, without the rest of the supervisor, until SIGTERM or Ctrl-C. This is
 * what {@code chain devnet} starts for each validator.
 */
@Command(
    name = "validator",
    description = "Run the chain node of a config file alone (as chain devnet does for each validator) until stopped.",
    mixinStandardHelpOptions = true)
public final class ValidatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML with a chain section.")
  Path config;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the ledger is kept (created).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ChainConfig chain;
    try {
      chain = ConfigLoader.load(config, ValidatorConfigFile.class).chain();
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (!chain.enabled()) {
      err.println("chain.enabled is false in " + config + ": nothing to run");
      return 2;
    }
    Files.createDirectories(dataDir);
    Vertx vertx = Vertx.vertx();
    ChainSubsystem subsystem = new ChainSubsystem(chain, SenderRecovery.fastest());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        subsystem.stop().await();
        vertx.close().await();
      } finally {
        stopped.countDown();
      }
    }));
    try {
      subsystem.start(StandaloneContext.create(vertx, dataDir, Clock.systemUTC(), new SecureRandom(),
          new SimpleMeterRegistry())).await();
    } catch (RuntimeException e) {
      err.println("chain node failed to start: " + e.getMessage());
      err.flush();
      vertx.close().await();
      return 1;
    }
    if (!subsystem.health().isReady()) {
      err.println("chain node failed to start: " + subsystem.health());
      err.flush();
      return 1;
    }
    out.println("validator ready: rpc http://" + chain.rpcHost() + ":" + subsystem.status().rpcPort() + " p2p "
        + chain.p2pHost() + ":" + subsystem.p2pPort() + " height " + subsystem.status().height());
    out.flush();
    stopped.await();
    return 0;
  }
}
