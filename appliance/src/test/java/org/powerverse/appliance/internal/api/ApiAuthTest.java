package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;

/** Bearer tokens and roles over real HTTPS. */
@Tag("integration")
class ApiAuthTest {

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

  private static String issue(String name, String role) throws Exception {
    TestNode.Response created = node.post("/api/v1/tokens", node.adminToken,
        "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertEquals(201, created.status(), created.body());
    node.assertMatchesContract("createToken", created);
    return created.json().getString("token");
  }

  @Test
  void missingTokenIs401ProblemWithChallenge() throws Exception {
    TestNode.Response response = node.get("/api/v1/node", null);
    assertEquals(401, response.status());
    assertEquals("application/problem+json", response.header("Content-Type"));
    assertEquals("Bearer realm=\"powerverse\"", response.header("WWW-Authenticate"));
    assertEquals("urn:powerverse:problem:unauthorized", response.json().getString("type"));
    node.assertMatchesContract("getNode", response);
  }

  @Test
  void wrongTokenIs401() throws Exception {
    TestNode.Response response = node.get("/api/v1/node", "pvt_" + "x".repeat(43));
    assertEquals(401, response.status());
    assertEquals("the bearer token is not valid", response.json().getString("detail"));
  }

  @Test
  void unauthenticatedCallerLearnsNothingAboutTheSchema() throws Exception {
    // An invalid body without a token is refused for the token, not described.
    TestNode.Response response = node.post("/api/v1/tokens", null, "{\"bogus\":1}");
    assertEquals(401, response.status());
  }

  @Test
  void readerMayOnlyRead() throws Exception {
    String reader = issue("dashboard", "reader");
    assertEquals(200, node.get("/api/v1/node", reader).status());
    TestNode.Response write = node.post("/api/v1/host/benchmark", reader, null);
    assertEquals(403, write.status());
    assertTrue(write.json().getString("detail").contains("has role reader; startHostBenchmark needs operator"),
        write.body());
    node.assertMatchesContract("startHostBenchmark", write);
  }

  @Test
  void operatorCannotManageTokens() throws Exception {
    String operator = issue("fleet-script", "operator");
    TestNode.Response list = node.get("/api/v1/tokens", operator);
    assertEquals(403, list.status());
    TestNode.Response create = node.post("/api/v1/tokens", operator, "{\"name\":\"x\",\"role\":\"admin\"}");
    assertEquals(403, create.status(), "an operator cannot mint an admin");
  }

  @Test
  void revokedTokenStopsWorkingAtOnce() throws Exception {
    String token = issue("temporary", "reader");
    String id = node.get("/api/v1/tokens").json().getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(t -> t.getString("name").equals("temporary"))
        .findFirst().orElseThrow().getString("id");
    TestNode.Response revoked = node.send(node.request("/api/v1/tokens/" + id, node.adminToken).DELETE().build());
    assertEquals(204, revoked.status());
    node.assertMatchesContract("revokeToken", revoked);
    assertEquals(401, node.get("/api/v1/node", token).status());
    assertEquals(404, node.send(node.request("/api/v1/tokens/" + id, node.adminToken).DELETE().build()).status());
  }

  @Test
  void tokensAreListedWithoutSecretsAndSurviveARestart() throws Exception {
    String token = issue("persistent", "reader");
    TestNode.Response list = node.get("/api/v1/tokens");
    node.assertMatchesContract("listTokens", list);
    assertTrue(!list.body().contains(token), "secrets are never listed");
    assertTrue(list.body().contains("\"persistent\""));
  }

  @Test
  void bootstrapAdminTokenCannotBeRevokedOverTheApi() throws Exception {
    TestNode.Response response = node.send(node.request("/api/v1/tokens/admin", node.adminToken).DELETE().build());
    assertEquals(409, response.status());
    assertTrue(response.json().getString("detail").contains("admin.token"));
  }

  @Test
  void publicOperationsNeedNoToken() throws Exception {
    assertEquals(200, node.get("/healthz", null).status());
    assertEquals(200, node.get("/api/v1/openapi.json", null).status());
  }

  @Test
  void metricsNeedATokenByDefault() throws Exception {
    assertEquals(401, node.get("/metrics", null).status());
    TestNode.Response metrics = node.get("/metrics");
    assertEquals(200, metrics.status());
    assertTrue(metrics.header("Content-Type").startsWith("text/plain"));
    assertTrue(metrics.body().contains("powerverse_subsystem_ready{subsystem=\"hypervisor\"}"), "subsystem gauge");
    assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "JVM metrics");
  }
}
