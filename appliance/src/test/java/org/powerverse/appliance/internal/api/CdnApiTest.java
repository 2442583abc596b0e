package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;

/** The content cache as the supervisor runs it: its API behind the node's auth, its gateway on its own port. */
@Tag("integration")
class CdnApiTest {

  /**
   * The CID of the 11 bytes "hello world" as a single raw block (CIDv1, raw codec, sha2-256): the
   * multiformats/IPFS docs' example, also what ipfs-car gives for such a file.
   */
  static final String HELLO_WORLD_RAW_CID = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";

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

  private TestNode.Response addFile(String token, byte[] bytes) throws Exception {
    return node.send(node.request("/api/v1/cdn/files?profile=unixfs-v1-2025", token)
        .header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
  }

  @Test
  void addedFileHasTheReferenceCidAndIsServedByTheGateway() throws Exception {
    TestNode.Response added = addFile(node.adminToken, "hello world".getBytes(StandardCharsets.US_ASCII));
    assertEquals(201, added.status(), added.body());
    node.assertMatchesContract("addCdnFile", added);
    assertEquals(HELLO_WORLD_RAW_CID, added.json().getString("cid"));

    int gateway = node.supervisor.cdnGatewayPort().orElseThrow();
    HttpResponse<String> served = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway + "/ipfs/" + HELLO_WORLD_RAW_CID)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, served.statusCode());
    assertEquals("hello world", served.body());

    TestNode.Response stats = node.get("/api/v1/cdn/stats");
    assertEquals(200, stats.status(), stats.body());
    node.assertMatchesContract("getCdnStats", stats);
    JsonObject body = stats.json();
    assertTrue(body.getLong("bytesUsed") >= 11, body.encode());
    assertTrue(body.getLong("pins") >= 1, body.encode());
  }

  @Test
  void readerMayReadTheCacheButNotWriteIt() throws Exception {
    String reader = node.post("/api/v1/tokens", node.adminToken, "{\"name\":\"cdn-reader\",\"role\":\"reader\"}")
        .json().getString("token");
    TestNode.Response denied = addFile(reader, new byte[] {1, 2, 3});
    assertEquals(403, denied.status(), denied.body());
    assertEquals("application/problem+json", denied.header("Content-Type"));
    assertEquals(200, node.get("/api/v1/cdn/pins", reader).status());
    assertEquals(401, node.get("/api/v1/cdn/stats", null).status());
  }

  @Test
  void pinOfAMalformedCidIsAProblemNamingIt() throws Exception {
    TestNode.Response bad = node.post("/api/v1/cdn/pins", node.adminToken, "{\"cid\":\"not-a-cid\"}");
    assertTrue(bad.status() == 400 || bad.status() == 422, bad.status() + " " + bad.body());
    assertTrue(bad.body().contains("not-a-cid"), bad.body());
  }
}
