package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.geo.GeoConfig;

/** edge-geo as the supervisor runs it: located by config, announcing the node's own offer. */
@Tag("integration")
class GeoApiTest {

  @TempDir static Path data;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    // Somewhere in Frankfurt; resolution 7 is announced, never the coordinates.
    GeoConfig geo = new GeoConfig(50.1109, 8.6821, null, null, null, 7, null, null, 100L, null, null, null, null,
        null, null, null, 0.0);
    node = TestNode.start(data, config -> config.withGeo(geo));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void selfShowsTheConfiguredCellAndTheNodesOwnOffer() throws Exception {
    TestNode.Response self = node.get("/api/v1/geo/self");
    assertEquals(200, self.status(), self.body());
    node.assertMatchesContract("getGeoSelf", self);
    String body = self.body();
    assertTrue(!body.contains("50.1109") && !body.contains("8.6821"), "raw coordinates must not leave the node: " + body);
    assertEquals(200, node.get("/readyz", null).status(), node.get("/readyz", null).body());
  }

  @Test
  void announcementCarriesTheHostsCapacityOnceTheOfferIsComputed() throws Exception {
    // The offer is computed off the event loop after start; edge-geo re-announces within a second
    // of a change beyond its threshold. Poll with a deadline: this is wiring, not timing.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    JsonObject capacity;
    do {
      capacity = node.get("/api/v1/geo/self").json().getJsonObject("announcement").getJsonObject("capacity");
      if (capacity.getInteger("freeVcpus") > 0 && capacity.getLong("cacheBytes") > 0) {
        break;
      }
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    assertEquals(Runtime.getRuntime().availableProcessors(), capacity.getInteger("freeVcpus"), capacity.encode());
    assertTrue(capacity.getLong("freeMemoryBytes") > 0, capacity.encode());
    assertTrue(capacity.getLong("cacheBytes") > 0, "the CDN's space is offered: " + capacity.encode());
  }

  @Test
  void nearestFindsThisNodeItself() throws Exception {
    TestNode.Response near = node.get("/api/v1/geo/nodes?lat=50.11&lon=8.68&k=3");
    assertEquals(200, near.status(), near.body());
    node.assertMatchesContract("listGeoNodes", near);
    assertTrue(near.body().contains(node.supervisor.identity().nodeId()), near.body());
  }

  @Test
  void outOfRangeLatitudeIsAProblemNamingIt() throws Exception {
    TestNode.Response bad = node.get("/api/v1/geo/nodes?lat=91&lon=0");
    assertEquals(400, bad.status(), bad.body());
    assertEquals("application/problem+json", bad.header("Content-Type"));
    assertTrue(bad.body().contains("lat"), bad.body());
  }

  @Test
  void announcementsArePublicButAForgedOneIsRefused() throws Exception {
    TestNode.Response forged = node.send(node.request("/api/v1/geo/announcements", null)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"payload\":\"e30\",\"signature\":\"AAAA\"}")).build());
    assertTrue(forged.status() == 400 || forged.status() == 422, forged.status() + " " + forged.body());
    assertEquals("application/problem+json", forged.header("Content-Type"));
  }

  @Test
  void aPeerLearnsThisNodeThroughTheRealApi(@TempDir Path peerData) throws Exception {
    // Paris gossips to Frankfurt's API (TLS, public operation, contract-validated); Frankfurt then
    // answers a nearest query at Paris with the Paris node's signed announcement.
    GeoConfig paris = new GeoConfig(48.8566, 2.3522, null, null, null, 7, null,
        java.util.List.of("https://127.0.0.1:" + node.supervisor.apiPort()), 100L, null, null, null, null, null, null,
        null, 0.0);
    try (TestNode peer = TestNode.start(peerData, config -> config.withGeo(paris))) {
      String peerId = peer.supervisor.identity().nodeId();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      TestNode.Response near;
      do {
        near = node.get("/api/v1/geo/nodes?lat=48.85&lon=2.35&k=1");
        assertEquals(200, near.status(), near.body());
        if (near.body().contains(peerId)) {
          break;
        }
        Thread.onSpinWait();
      } while (System.nanoTime() < deadline);
      node.assertMatchesContract("listGeoNodes", near);
      assertTrue(near.body().contains(peerId), "Frankfurt never learned the Paris node: " + near.body());
      assertTrue(!near.body().contains("48.8566"), "raw coordinates never leave the announcer: " + near.body());
    }
  }
}
