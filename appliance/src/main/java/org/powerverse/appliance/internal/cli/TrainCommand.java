package org.powerverse.appliance.internal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.internal.Supervisor;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.platform.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The startup cache's training run (./powerverse runs it once per build, with the JVM recording an
 * AOT cache or CDS archive): starts a node in a temporary directory, makes the calls a node serves
 * first, stops it. Hidden: it is not for operators.
 */
@Command(name = "train-startup", hidden = true, description = "Exercise start-up for the JVM's startup cache.")
final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("powerverse-train");
    try {
      NodeConfig defaults = ConfigLoader.defaults(NodeConfig.class);
      HypervisorConfig h = defaults.hypervisor();
      // Loopback only, free ports, nothing reached beyond this machine: training must not collide
      // with a running node or announce anything.
      NodeConfig config = defaults.withApi(new NodeConfig.ApiConfig(0, "127.0.0.1", null, null, null, 0))
          .withHypervisor(h.withLibvirtUri("test:///default"))
          .withCdn(loopbackGateway(defaults.cdn()));
      try (Supervisor node = Supervisor.start(new Supervisor.Options(data, config, Clock.systemUTC(), new SecureRandom()))) {
        String token = Files.readString(data.resolve("admin.token")).strip();
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        Path known = data.resolve("known_nodes");
        ApiClient client = new ApiClient(URI.create("https://127.0.0.1:" + node.apiPort()), token, Optional.empty(),
            new KnownNodes(known), quiet);
        for (String path : new String[] {"/healthz", "/api/v1/node", "/api/v1/host", "/api/v1/host/score",
            "/api/v1/jobs", "/api/v1/tokens", "/api/v1/openapi.json"}) {
          client.get(path);
        }
        client.post("/api/v1/tokens", Map.of("name", "training", "role", "reader"));
        expectProblem(() -> client.get("/readyz"));
        expectProblem(() -> client.post("/api/v1/tokens", Map.of("name", "")));
        expectProblem(() -> client.get("/api/v1/no-such-thing"));
      }
      spec.commandLine().getOut().println("trained");
      return RootCommand.OK;
    } finally {
      try (Stream<Path> files = Files.walk(data)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory: the OS cleans it eventually
      }
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  private static void expectProblem(Call call) {
    try {
      call.run();
    } catch (Exception expected) {
      // the point is to run the problem path once
    }
  }

  /** The cache's gateway on a free loopback port. */
  static CdnConfig loopbackGateway(CdnConfig c) {
    return new CdnConfig(c.enabled(), "127.0.0.1", 0, c.maxBytes(), c.upstreams(), c.originTimeoutSeconds(),
        c.defaultProfile(), c.tlsCertPath(), c.tlsKeyPath());
  }
}
