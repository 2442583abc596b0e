package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.Certificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.Version;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.appliance.internal.identity.NodeKeys;

@Tag("integration")
class NodeApiTest {

  @TempDir static Path data;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(data);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void nodeReportsItsIdentityAndTheCertificateItServes() throws Exception {
    HttpResponse<String> response = node.http.send(node.request("/api/v1/node", node.adminToken).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    JsonObject info = new JsonObject(response.body());
    Certificate served = response.sslSession().orElseThrow().getPeerCertificates()[0];
    assertEquals(NodeKeys.fingerprint(served.getEncoded()), info.getString("tlsFingerprint"));
    assertEquals(node.supervisor.identity().nodeId(), info.getString("nodeId"));
    assertEquals(node.supervisor.identity().did(), info.getString("did"));
    assertEquals(Version.get(), info.getString("version"));
    assertEquals("hypervisor", info.getJsonArray("subsystems").getJsonObject(0).getString("name"));
    node.assertMatchesContract("getNode", new TestNode.Response(200, response.headers().map(), response.body()));
  }

  @Test
  void readyOnceLibvirtIsReached() throws Exception {
    TestNode.Response ready = awaitReady();
    assertEquals(200, ready.status(), ready.body());
    assertEquals(true, ready.json().getBoolean("ready"));
    node.assertMatchesContract("getReadyz", ready);
    assertEquals(true, node.get("/api/v1/node").json().getBoolean("ready"));
  }

  static TestNode.Response awaitReady() throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    TestNode.Response ready;
    do {
      ready = node.get("/readyz", null);
    } while (ready.status() != 200 && System.nanoTime() < deadline);
    return ready;
  }

  @Test
  void hostInventoryOfThisMachineMatchesTheContract() throws Exception {
    TestNode.Response host = node.get("/api/v1/host");
    assertEquals(200, host.status(), host.body());
    node.assertMatchesContract("getHost", host);
    assertEquals(Runtime.getRuntime().availableProcessors(), host.json().getJsonObject("cpu").getInteger("threads"));
    assertEquals("tcg", host.json().getJsonObject("kvm").getString("mode"), "this CI machine has no usable KVM");
  }

  @Test
  void scoreBeforeAnyBenchmarkSaysToRunOne() throws Exception {
    TestNode.Response score = node.get("/api/v1/host/score");
    assertEquals(200, score.status(), score.body());
    node.assertMatchesContract("getHostScore", score);
    assertTrue(score.json().getDouble("score") > 0, "cores, memory and disks count without a benchmark");
    assertTrue(score.body().contains("no benchmark has run"), score.body());
  }

  @Test
  void contractIsServedAndComplete() throws Exception {
    JsonObject contract = node.get("/api/v1/openapi.json", null).json();
    assertEquals("3.1.0", contract.getString("openapi"));
    for (String path : new String[] {"/healthz", "/readyz", "/metrics", "/api/v1/node", "/api/v1/host",
        "/api/v1/host/score", "/api/v1/host/benchmark", "/api/v1/jobs/{id}", "/api/v1/tokens/{id}"}) {
      assertTrue(contract.getJsonObject("paths").containsKey(path), path);
    }
  }
}
