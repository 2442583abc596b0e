package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.appliance.internal.cli.PinningTrustManager;

/** Every class of error is an RFC 9457 problem naming what was wrong, and nothing more. */
@Tag("integration")
class ApiErrorsTest {

  @TempDir static Path data;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(data); // api.maxBodyBytes is 64 KiB in tests
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static List<String> fields(TestNode.Response problem) {
    JsonArray errors = problem.json().getJsonArray("errors", new JsonArray());
    return errors.stream().map(JsonObject.class::cast).map(e -> e.getString("in") + ":" + e.getString("field"))
        .collect(Collectors.toList());
  }

  private static void assertProblem(TestNode.Response response, int status, String kind) {
    assertEquals(status, response.status(), response.body());
    assertEquals("application/problem+json", response.header("Content-Type"));
    JsonObject problem = response.json();
    assertEquals("urn:powerverse:problem:" + kind, problem.getString("type"));
    assertEquals(status, problem.getInteger("status"));
    assertFalse(response.body().contains("at org."), "no stack traces: " + response.body());
    assertFalse(response.body().contains("Exception"), "no exception names: " + response.body());
  }

  @Test
  void unknownRouteIs404Problem() throws Exception {
    assertProblem(node.get("/api/v1/no-such-thing"), 404, "not-found");
  }

  @Test
  void wrongMethodIs405Problem() throws Exception {
    TestNode.Response response = node.send(node.request("/api/v1/node", node.adminToken)
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    assertProblem(response, 405, "method-not-allowed");
  }

  @Test
  void malformedJsonIs400NamingTheBody() throws Exception {
    TestNode.Response response = node.post("/api/v1/tokens", node.adminToken, "{\"name\": \"x\", ");
    assertProblem(response, 400, "invalid-request");
    assertEquals(List.of("body:(body)"), fields(response));
    node.assertMatchesContract("createToken", response);
  }

  @Test
  void schemaViolationNamesEachField() throws Exception {
    TestNode.Response badEnum = node.post("/api/v1/tokens", node.adminToken, "{\"name\":\"ok\",\"role\":\"root\"}");
    assertProblem(badEnum, 400, "invalid-request");
    assertEquals(List.of("body:role"), fields(badEnum));

    TestNode.Response unknownField = node.post("/api/v1/tokens", node.adminToken,
        "{\"name\":\"ok\",\"role\":\"reader\",\"expires\":1}");
    assertProblem(unknownField, 400, "invalid-request");
    assertTrue(fields(unknownField).contains("body:expires"), fields(unknownField).toString());

    TestNode.Response missing = node.post("/api/v1/tokens", node.adminToken, "{\"name\":\"ok\"}");
    assertProblem(missing, 400, "invalid-request");
    assertEquals(List.of("body:role"), fields(missing));
    assertEquals("is required", missing.json().getJsonArray("errors").getJsonObject(0).getString("message"));

    TestNode.Response wrongType = node.post("/api/v1/tokens", node.adminToken, "{\"name\":5,\"role\":\"reader\"}");
    assertProblem(wrongType, 400, "invalid-request");
    assertEquals(List.of("body:name"), fields(wrongType));
  }

  @Test
  void badPathParameterIsNamed() throws Exception {
    TestNode.Response response = node.get("/api/v1/jobs/not-a-ulid");
    assertProblem(response, 400, "invalid-request");
    assertEquals(List.of("path:id"), fields(response));
    node.assertMatchesContract("getJob", response);
  }

  @Test
  void badQueryParameterIsNamed() throws Exception {
    TestNode.Response response = node.get("/api/v1/jobs?limit=0");
    assertProblem(response, 400, "invalid-request");
    assertEquals(List.of("query:limit"), fields(response));
  }

  @Test
  void otherContentTypeIs415() throws Exception {
    TestNode.Response response = node.send(node.request("/api/v1/tokens", node.adminToken)
        .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("hello")).build());
    assertProblem(response, 415, "unsupported-media-type");
  }

  @Test
  void missingBodyIs400() throws Exception {
    TestNode.Response response = node.post("/api/v1/tokens", node.adminToken, null);
    assertProblem(response, 400, "invalid-request");
  }

  @Test
  void bodyOverTheLimitIs413BeforeItIsRead() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(70 * 1024) + "\",\"role\":\"reader\"}";
    TestNode.Response response = node.post("/api/v1/tokens", node.adminToken, big);
    assertProblem(response, 413, "too-large");
    node.assertMatchesContract("createToken", response);
  }

  @Test
  void chunkedBodyOverTheLimitIs413() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new PinningTrustManager(node.supervisor.identity().tlsFingerprint())}, null);
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", node.supervisor.apiPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + node.adminToken
          + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[16 * 1024];
      java.util.Arrays.fill(chunk, (byte) 'x');
      InputStream in = socket.getInputStream();
      try {
        for (int i = 0; i < 8; i++) { // 128 KiB > 64 KiB
          out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (java.io.IOException closedByServer) {
        // the server may close the connection as soon as it has answered
      }
      String answer = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      assertEquals("HTTP/1.1 413", answer);
    }
  }

  @Test
  void unknownJobIs404() throws Exception {
    TestNode.Response response = node.get("/api/v1/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV");
    assertProblem(response, 404, "not-found");
    node.assertMatchesContract("getJob", response);
  }
}
