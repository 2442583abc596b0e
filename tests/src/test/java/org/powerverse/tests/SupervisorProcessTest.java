package org.powerverse.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.cli.PinningTrustManager;

/** The supervisor as an operator runs it: a process that is signalled, killed and restarted. */
@Tag("integration")
class SupervisorProcessTest {

  @TempDir Path data;

  @Test
  void sigtermFinishesTheRequestInFlightStopsAcceptingAndExitsZeroWithinTenSeconds() throws Exception {
    try (NodeProcess node = NodeProcess.start(data)) {
      int port = node.awaitPort();
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new PinningTrustManager(node.bannerFingerprint())}, null);
      byte[] body = "{\"name\":\"in-flight\",\"role\":\"reader\"}".getBytes(StandardCharsets.US_ASCII);
      try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setSoTimeout(15_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + node.adminToken()
            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, 10); // half a body: the request is in flight
        out.flush();
        awaitActiveRequests(node, 2); // this one, plus the metrics call observing it
        node.process.destroy(); // SIGTERM
        long signalled = System.nanoTime();
        awaitRefused(port);
        out.write(body, 10, body.length - 10);
        out.flush();
        InputStream in = socket.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(response.startsWith("HTTP/1.1 201"), "the request in flight completes: " + response);
        assertTrue(response.contains("\"name\":\"in-flight\""), response);
        assertEquals(0, node.awaitExit(10));
        assertTrue(System.nanoTime() - signalled < TimeUnit.SECONDS.toNanos(10));
      }
      assertTrue(node.stderr().stream().anyMatch(l -> l.contains("supervisor stopped")),
          String.join("\n", node.stderr()) + "\nstdout:\n" + String.join("\n", node.stdout()));
    }
  }

  /** Polls the Prometheus gauge of requests in progress until it shows ours. */
  private static void awaitActiveRequests(NodeProcess node, int atLeast) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String metrics = node.call("GET", "/metrics", null).body();
      double active = metrics.lines().filter(l -> l.startsWith("vertx_http_server_active_requests"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
      if (active >= atLeast) {
        return;
      }
    }
    throw new AssertionError("the request never showed as active");
  }

  private static void awaitRefused(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try (Socket probe = new Socket("127.0.0.1", port)) {
        Thread.onSpinWait();
      } catch (ConnectException refused) {
        return;
      }
    }
    throw new AssertionError("the supervisor kept accepting connections after SIGTERM");
  }

  @Test
  void identityTokensAndDataSurviveARestartAndKillDashNine() throws Exception {
    String nodeId;
    String fingerprint;
    String issued;
    try (NodeProcess first = NodeProcess.start(data)) {
      JsonNode info = first.json("GET", "/api/v1/node", null);
      nodeId = info.get("nodeId").asText();
      fingerprint = info.get("tlsFingerprint").asText();
      assertEquals(fingerprint, first.bannerFingerprint(), "the banner shows the served certificate");
      issued = first.json("POST", "/api/v1/tokens", "{\"name\":\"survivor\",\"role\":\"reader\"}").get("token").asText();
      first.process.destroy();
      assertEquals(0, first.awaitExit(10));
    }
    try (NodeProcess second = NodeProcess.start(data)) {
      JsonNode info = second.json("GET", "/api/v1/node", null);
      assertEquals(nodeId, info.get("nodeId").asText());
      assertEquals(fingerprint, info.get("tlsFingerprint").asText());
      issued = second.json("POST", "/api/v1/tokens", "{\"name\":\"after-kill\",\"role\":\"reader\"}").get("token").asText();
      second.process.destroyForcibly(); // kill -9: nothing gets to clean up
      second.awaitExit(10);
    }
    try (NodeProcess third = NodeProcess.start(data)) {
      third.awaitPort();
      JsonNode tokens = third.json("GET", "/api/v1/tokens", null);
      assertTrue(tokens.toString().contains("\"survivor\""), tokens.toString());
      assertTrue(tokens.toString().contains("\"after-kill\""), "a committed write survives kill -9: " + tokens);
      assertEquals(nodeId, third.json("GET", "/api/v1/node", null).get("nodeId").asText());
      assertFalse(issued.isEmpty());
    }
  }

  @Test
  void secretsAndTheDataDirectoryAreOwnerOnly() throws Exception {
    try (NodeProcess node = NodeProcess.start(data)) {
      node.awaitPort();
      // The data directory is the owner's alone to list and write; the hypervisor may add search
      // (x) for others so that QEMU, running as its own user, can reach the VM disks below it
      // (docs/vms.md). The keys directory stays 0700 and every secret 0600.
      String dataMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(data));
      assertTrue(dataMode.equals("rwx------") || dataMode.equals("rwx--x--x"), dataMode);
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("keys"))));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin.token"))));
      for (String key : new String[] {"account.secp256k1.pem", "node.ed25519.pem", "tls.key.pem"}) {
        assertEquals("rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("keys").resolve(key))), key);
      }
    }
  }

  @Test
  void logsAreOneJsonObjectPerEventOffATerminal() throws Exception {
    try (NodeProcess node = NodeProcess.start(data)) {
      node.awaitPort();
      node.process.destroy();
      node.awaitExit(10);
      long events = 0;
      for (String line : node.stderr()) {
        if (line.startsWith("WARNING:")) {
          continue; // the JVM's own warnings, not ours
        }
        JsonNode event = NodeProcess.JSON.readTree(line);
        assertTrue(event.has("@timestamp") && event.has("level") && event.has("message"), line);
        events++;
      }
      assertTrue(events >= 3, "key creation, api listening, stopped: " + node.stderr());
      assertTrue(node.stderr().stream().anyMatch(l -> l.contains("\"message\":\"api listening\"") && l.contains("\"port\":")),
          "key-value pairs become fields");
    }
  }

  @Test
  void badConfigStopsStartUpNamingTheKey() throws Exception {
    Path config = data.resolve("bad.yaml");
    Files.writeString(config, NodeProcess.LOOPBACK_CONFIG + "hypervisor:\n  inventoryCacheSeconds: -5\n");
    try (NodeProcess node = NodeProcess.start(data.resolve("node"), "--config", config.toString())) {
      assertEquals(3, node.awaitExit(30));
      String err = String.join("\n", node.stderr());
      assertTrue(err.contains("hypervisor.inventoryCacheSeconds: must be between 0 and 3600, got -5"), err);
      assertFalse(Files.exists(data.resolve("node").resolve("keys")), "nothing is created before the config is valid");
    }
  }

  @Test
  void corruptKeyStopsStartUpAndIsKept() throws Exception {
    try (NodeProcess first = NodeProcess.start(data)) {
      first.awaitPort();
      first.process.destroy();
      first.awaitExit(10);
    }
    Path key = data.resolve("keys").resolve("account.secp256k1.pem");
    Files.writeString(key, "garbage\n");
    try (NodeProcess second = NodeProcess.start(data)) {
      assertEquals(4, second.awaitExit(30));
      assertTrue(String.join("\n", second.stderr()).contains(key + " is not a PKCS#8 secp256k1 private key"),
          String.join("\n", second.stderr()));
      assertEquals("garbage\n", Files.readString(key));
    }
  }

  @Test
  void portInUseIsAClearError() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        NodeProcess node = NodeProcess.startOnPort(data, taken.getLocalPort())) {
      assertEquals(1, node.awaitExit(30));
      assertTrue(String.join("\n", node.stderr()).contains("cannot listen on"), String.join("\n", node.stderr()));
    }
  }
}
