package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.internal.identity.LocalIdentity;
import org.powerverse.appliance.internal.identity.NodeKeys;
import org.powerverse.platform.ConfigLoader;

/**
 * A PXE-booted node's config by URL (pv.config= on the kernel command line) against a config
 * server on loopback: per-MAC paths, retries with backoff through outages and bad configs, the last
 * good copy, and an https server pinned by fingerprint.
 */
@Tag("integration")
class ConfigByUrlTest {

  private static final String GOOD = "node: {name: seat-017}\napi: {port: 9443}\n";

  @TempDir Path dir;
  private final Vertx vertx = Vertx.vertx();
  private HttpServer server;
  private final List<String> requested = new CopyOnWriteArrayList<>();
  private final List<Duration> slept = new ArrayList<>();
  private final StringWriter console = new StringWriter();

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  /** Serves {@code answers} in turn (status, body), the last one from then on; returns the port. */
  private int serve(HttpServerOptions options, String[][] answers) {
    AtomicInteger n = new AtomicInteger();
    server = vertx.createHttpServer(options.setHost("127.0.0.1").setPort(0)).requestHandler(request -> {
      requested.add(request.path());
      String[] answer = answers[Math.min(n.getAndIncrement(), answers.length - 1)];
      request.response().setStatusCode(Integer.parseInt(answer[0])).end(answer[1]);
    }).listen().await();
    return server.actualPort();
  }

  private RunCommand node(String cmdline) throws IOException {
    Path cmdlineFile = Files.writeString(dir.resolve("cmdline"), cmdline);
    RunCommand run = new RunCommand();
    run.kernelCmdline = cmdlineFile;
    // A real server's interfaces, captured: its first NIC is eno1, 3c:ec:ef:44:55:66.
    run.sysRoot = Path.of(System.getProperty("powerverse.repo", "..")).resolve(
        "hypervisor-mgr/src/test/fixtures/sysfs/server-shared-group/sys");
    run.sleeper = slept::add;
    return run;
  }

  private Path data() {
    return dir.resolve("data");
  }

  @Test
  void aNodeFetchesItsOwnConfigThroughOutagesAndKeepsA0600Copy() throws Exception {
    int port = serve(new HttpServerOptions(),
        new String[][] {{"503", "starting"}, {"404", ""}, {"200", "api: {port: 99999}\n"}, {"200", GOOD}});
    String base = "http://127.0.0.1:" + port;
    RunCommand run = node("BOOT_IMAGE=/vmlinuz pv.config=" + base + "/nodes/${mac}.yaml quiet");

    Path file = run.fetchedConfig(new PrintWriter(console, true), data()).orElseThrow();

    assertEquals(List.of("/nodes/3c:ec:ef:44:55:66.yaml"), requested.stream().distinct().toList());
    assertEquals(4, requested.size(), "three failures, then the config");
    NodeConfig config = ConfigLoader.load(file, NodeConfig.class);
    assertEquals(9443, config.api().port());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    // Backoff 1 s, 2 s, 4 s, each within ±25 % jitter.
    assertEquals(3, slept.size(), slept.toString());
    for (int i = 0; i < 3; i++) {
      long base1 = 1000L << i;
      assertTrue(slept.get(i).toMillis() >= base1 * 3 / 4 && slept.get(i).toMillis() <= base1 * 5 / 4, slept.toString());
    }
    String said = console.toString();
    assertTrue(said.contains("over plain http"), said);
    assertTrue(said.contains("HTTP 503") && said.contains("HTTP 404"), said);
    assertTrue(said.contains("not valid") && said.contains("api.port"), "a bad config is named, not used: " + said);
  }

  @Test
  void whenTheServerIsDownTheLastCopyIsUsedAfterThreeAttempts() throws Exception {
    Path cached = data().resolve("config").resolve("fetched.yaml");
    Files.createDirectories(cached.getParent());
    Files.writeString(cached, GOOD);
    int port = serve(new HttpServerOptions(), new String[][] {{"500", "down"}});
    RunCommand run = node("pv.config=http://127.0.0.1:" + port + "/${mac}.yaml");
    Path file = run.fetchedConfig(new PrintWriter(console, true), data()).orElseThrow();
    assertEquals(cached, file);
    assertEquals(3, requested.size());
    assertEquals(2, slept.size());
    assertTrue(console.toString().contains("using the copy fetched"), console.toString());
  }

  @Test
  void noPvConfigLeavesTheUsualConfig() throws Exception {
    assertTrue(node("BOOT_IMAGE=/vmlinuz root=/dev/sda2").fetchedConfig(new PrintWriter(console, true), data()).isEmpty());
  }

  @Test
  void anHttpsServerIsTrustedOnlyWithThePinnedFingerprint() throws Exception {
    // The config server's certificate: a node identity's self-signed one (CN, SAN 127.0.0.1).
    LocalIdentity identity = NodeKeys.loadOrCreate(dir.resolve("server-keys"), 1, Clock.systemUTC(), new SecureRandom());
    int port = serve(new HttpServerOptions().setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
        .setKeyPath(identity.tlsKeyFile().toString()).setCertPath(identity.tlsCertFile().toString())),
        new String[][] {{"200", GOOD}});
    String url = "https://127.0.0.1:" + port + "/${mac}.yaml";

    RunCommand pinned = node("pv.config=" + url + " pv.config.fingerprint=" + identity.tlsFingerprint().replace(":", ""));
    Path file = pinned.fetchedConfig(new PrintWriter(console, true), data()).orElseThrow();
    assertEquals(GOOD, Files.readString(file));
    assertTrue(slept.isEmpty());

    // Another pin: never trusted, retried (a test's sleeper ends the wait).
    RunCommand wrong = node("pv.config=" + url + " pv.config.fingerprint=" + "AB".repeat(32));
    wrong.sleeper = d -> {
      throw new InterruptedException("stop waiting");
    };
    StringWriter said = new StringWriter();
    assertThrows(InterruptedException.class, () -> wrong.fetchedConfig(new PrintWriter(said, true), dir.resolve("other")));
    assertTrue(said.toString().contains("cannot reach it"), said.toString());
    assertEquals(1, requested.size(), "the untrusted server was never asked for a config");
  }
}
