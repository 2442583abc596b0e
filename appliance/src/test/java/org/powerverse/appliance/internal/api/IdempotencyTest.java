package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;

/** Fleet scripts retry creates safely with Idempotency-Key. */
@Tag("integration")
class IdempotencyTest {

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

  private static TestNode.Response create(String key, String body) throws Exception {
    return node.send(node.request("/api/v1/tokens", node.adminToken).header("Content-Type", "application/json")
        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  @Test
  void retryWithTheSameKeyReplaysTheFirstAnswer() throws Exception {
    String body = "{\"name\":\"retried\",\"role\":\"reader\"}";
    TestNode.Response first = create("key-1", body);
    TestNode.Response retry = create("key-1", body);
    assertEquals(201, first.status());
    assertEquals(201, retry.status());
    assertEquals(first.json().getString("id"), retry.json().getString("id"));
    assertEquals(first.json().getString("token"), retry.json().getString("token"));
    assertNull(first.header("Idempotent-Replayed"));
    assertEquals("true", retry.header("Idempotent-Replayed"));
    node.assertMatchesContract("createToken", retry);
    long created = node.get("/api/v1/tokens").json().getJsonArray("items").stream()
        .filter(t -> t.toString().contains("retried")).count();
    assertEquals(1, created, "the retry created nothing");
  }

  @Test
  void sameKeyForAnotherRequestIs422() throws Exception {
    assertEquals(201, create("key-2", "{\"name\":\"first\",\"role\":\"reader\"}").status());
    TestNode.Response other = create("key-2", "{\"name\":\"second\",\"role\":\"reader\"}");
    assertEquals(422, other.status(), other.body());
    assertEquals("header:Idempotency-Key",
        other.json().getJsonArray("errors").getJsonObject(0).getString("in") + ":"
            + other.json().getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void differentKeysCreateDifferentThings() throws Exception {
    String body = "{\"name\":\"twice\",\"role\":\"reader\"}";
    assertNotEquals(create("key-3", body).json().getString("id"), create("key-4", body).json().getString("id"));
  }

  @Test
  void badKeyIsNamed() throws Exception {
    TestNode.Response response = create("x".repeat(300), "{\"name\":\"k\",\"role\":\"reader\"}");
    assertEquals(400, response.status());
  }
}
