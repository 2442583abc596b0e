package org.powerverse.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.platform.Health;
import org.powerverse.platform.Json;

/**
 * Several geo subsystems on loopback, each behind a {@link LoopbackApi}, gossiping over HTTP in a
 * ring (London -> Paris -> Berlin -> London): every node learns every other, queries answer over
 * HTTP, RTTs to peers are measured, and the public endpoint refuses what it must.
 */
@Tag("integration")
class GossipLoopbackTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private Vertx vertx;
  private WebClient http;
  private final List<LoopbackApi> apis = new ArrayList<>();
  private final List<GeoSubsystem> nodes = new ArrayList<>();
  private final List<String> urls = new ArrayList<>();
  private final List<TestIdentity> identities = new ArrayList<>();

  @TempDir
  Path dataDir;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    nodes.forEach(node -> node.stop().await());
    apis.forEach(LoopbackApi::close);
    http.close();
    vertx.close().await();
  }

  private static GeoConfig config(double lat, double lon, String self, List<String> peers) {
    // rttWeight 0: on loopback an RTT says nothing about distance (the penalty is unit-tested).
    return new GeoConfig(lat, lon, null, null, null, null, new Endpoints(self, null, null), peers, 100L, null, null,
        null, null, null, null, null, 0.0);
  }

  /** Starts n nodes; node i gossips to node (i+1) mod n. */
  private void ring(double[][] places) throws Exception {
    for (int i = 0; i < places.length; i++) {
      LoopbackApi api = new LoopbackApi(vertx, "openapi/geo.yaml");
      apis.add(api);
    }
    // Ports are only known after listen, and listen needs every operation bound: bind to a
    // holder that forwards to the node created once all ports are known.
    List<ForwardingGeo> holders = new ArrayList<>();
    for (int i = 0; i < places.length; i++) {
      ForwardingGeo holder = new ForwardingGeo();
      holders.add(holder);
      holder.mountOn(apis.get(i));
      urls.add(apis.get(i).listen());
    }
    for (int i = 0; i < places.length; i++) {
      TestIdentity identity = TestIdentity.numbered(100 + i);
      identities.add(identity);
      GeoSubsystem node = GeoSubsystems.create(
          config(places[i][0], places[i][1], urls.get(i), List.of(urls.get((i + 1) % places.length))),
          () -> new Offer(new Capacity(16, 1L << 35, java.util.Map.of(), 1L << 40), 900));
      holders.get(i).target = node;
      Path dir = Files.createDirectories(dataDir.resolve("node" + i));
      node.start(TestContexts.of(vertx, dir, java.time.Clock.systemUTC(), identity)).await();
      nodes.add(node);
    }
  }

  private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("not within " + PATIENCE + ": " + what);
      }
      Thread.sleep(50); // polling a condition, not timing anything
    }
  }

  private HttpResponse<Buffer> get(String url) {
    return http.getAbs(url).send().await();
  }

  private HttpResponse<Buffer> post(String url, byte[] body) {
    return http.postAbs(url + "/api/v1/geo/announcements").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await();
  }

  @Test
  void ringOfThreeLearnsEveryNodeAndAnswersNearestOverHttp() throws Exception {
    ring(new double[][] {{51.5074, -0.1278}, {48.8566, 2.3522}, {52.52, 13.405}});
    for (int i = 0; i < 3; i++) {
      GeoSubsystem node = nodes.get(i);
      eventually("node " + i + " knows all three", () -> node.self().knownNodes() == 3);
    }
    HttpResponse<Buffer> response = get(urls.get(0) + "/api/v1/geo/nodes?lat=48.85&lon=2.35&k=3&minVcpus=8");
    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonNode nodesJson = Json.MAPPER.readTree(response.bodyAsString()).get("nodes");
    assertEquals(3, nodesJson.size());
    assertEquals(identities.get(1).nodeId(), nodesJson.get(0).get("nodeId").asText(), "Paris first");
    assertEquals(identities.get(0).nodeId(), nodesJson.get(1).get("nodeId").asText(), "then London");
    assertEquals(identities.get(2).nodeId(), nodesJson.get(2).get("nodeId").asText(), "then Berlin");
    assertTrue(nodesJson.get(0).get("distanceKm").asDouble() < 5);

    HttpResponse<Buffer> self = get(urls.get(0) + "/api/v1/geo/self");
    JsonNode selfJson = Json.MAPPER.readTree(self.bodyAsString());
    assertEquals("config", selfJson.get("location").get("source").asText());
    assertEquals(7, selfJson.get("location").get("resolution").asInt());
    assertEquals(selfJson.get("location").get("h3Cell").asText(), selfJson.get("announcement").get("h3Cell").asText());
    assertTrue(!self.bodyAsString().contains("51.5074"), "raw coordinates are never shown or announced");
    eventually("London measured its RTT to Paris", () -> nodes.get(0).self().peers().get(0).rttMs() != null);
    PeerStatus toParis = nodes.get(0).self().peers().get(0);
    assertEquals(identities.get(1).nodeId(), toParis.nodeId());
    assertEquals(Health.State.ready, nodes.get(0).health().state());
  }

  @Test
  void publicEndpointRefusesOversizedMalformedAndForgedEnvelopes() throws Exception {
    ring(new double[][] {{51.5074, -0.1278}});
    String url = urls.get(0);
    HttpResponse<Buffer> huge = post(url, new byte[GeoConfig.DEFAULT_MAX_ANNOUNCEMENT_BYTES + 1]);
    assertEquals(413, huge.statusCode());
    assertEquals("application/problem+json", huge.getHeader("Content-Type"));

    // Chunked, no Content-Length: refused once the streamed body passes the limit.
    io.vertx.core.http.HttpClient client = vertx.createHttpClient();
    io.vertx.core.http.HttpClientRequest chunked = client.request(io.vertx.core.http.HttpMethod.POST,
        Integer.parseInt(url.substring(url.lastIndexOf(':') + 1)), "127.0.0.1", "/api/v1/geo/announcements").await();
    chunked.setChunked(true).putHeader("Content-Type", "application/json");
    chunked.write(Buffer.buffer(new byte[3000]));
    chunked.write(Buffer.buffer(new byte[3000]));
    chunked.end();
    assertEquals(413, chunked.response().await().statusCode());
    client.close().await();

    HttpResponse<Buffer> malformed = post(url, "{\"announcement\":{}}".getBytes());
    assertEquals(400, malformed.statusCode(), malformed.bodyAsString());
    assertTrue(malformed.bodyAsString().contains("urn:powerverse:problem:geo-announcement-malformed"), malformed.bodyAsString());

    TestIdentity stranger = TestIdentity.numbered(7);
    Announcement a = new Announcement(stranger.nodeId(), "8729a41adffffff", Endpoints.NONE, Capacity.NONE, 1, 1,
        1, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), 600);
    byte[] signature = stranger.signEd25519(org.powerverse.geo.internal.AnnouncementCodec.signingInput(a));
    byte[] envelope = org.powerverse.geo.internal.AnnouncementCodec.envelope(new SignedAnnouncement(a, stranger.ed25519PublicKey(), signature));
    String forged = new String(envelope).replace("\"price\":1,", "\"price\":0,");
    HttpResponse<Buffer> bad = post(url, forged.getBytes());
    assertEquals(422, bad.statusCode(), bad.bodyAsString());
    assertEquals(1, nodes.get(0).self().knownNodes(), "nothing unverified stored");

    HttpResponse<Buffer> good = post(url, envelope);
    assertEquals(202, good.statusCode(), good.bodyAsString());
    JsonNode receipt = Json.MAPPER.readTree(good.bodyAsString());
    assertEquals("accepted", receipt.get("outcome").asText());
    assertEquals(identities.get(0).nodeId(), receipt.get("receiver").asText());
    assertEquals(200, post(url, envelope).statusCode(), "duplicate");
    assertEquals(2, nodes.get(0).self().knownNodes());

    HttpResponse<Buffer> missingLat = get(url + "/api/v1/geo/nodes?lon=2");
    assertEquals(400, missingLat.statusCode());
    HttpResponse<Buffer> badK = get(url + "/api/v1/geo/nodes?lat=1&lon=2&k=1000");
    assertEquals(400, badK.statusCode());
    assertTrue(badK.bodyAsString().contains("\"field\":\"k\""), badK.bodyAsString());
  }

  @Test
  void unreachablePeerBacksOffAndDegradesHealth() throws Exception {
    LoopbackApi api = new LoopbackApi(vertx, "openapi/geo.yaml");
    apis.add(api);
    ForwardingGeo holder = new ForwardingGeo();
    holder.mountOn(api);
    String url = api.listen();
    // A port nothing listens on: bind one, note it, close it.
    io.vertx.core.http.HttpServer closed = vertx.createHttpServer().requestHandler(r -> {}).listen(0, "127.0.0.1").await();
    String deadPeer = "http://127.0.0.1:" + closed.actualPort();
    closed.close().await();
    MutableClock clock = new MutableClock(Instant.now());
    GeoSubsystem node = GeoSubsystems.create(config(51.5, -0.12, url, List.of(deadPeer)));
    holder.target = node;
    node.start(TestContexts.of(vertx, dataDir, clock, TestIdentity.numbered(9))).await();
    nodes.add(node);
    eventually("first failure", () -> node.self().peers().get(0).consecutiveFailures() >= 1);
    PeerStatus first = node.self().peers().get(0);
    assertNotNull(first.nextAttemptAt(), "backing off");
    assertEquals(1, first.pending());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(10)); // past any backoff: the next 1 s pump retries
      int before = node.self().peers().get(0).consecutiveFailures();
      eventually("another failure", () -> node.self().peers().get(0).consecutiveFailures() > before);
    }
    eventually("degraded", () -> node.health().state() == Health.State.degraded);
    assertTrue(node.health().reason().contains("no configured peer reachable"), node.health().reason());
  }

  @Test
  void nodeWhoseGeoIpLookupFindsNothingIsDegraded() throws Exception {
    // 203.0.113.7 (TEST-NET-3, RFC 5737) is in no GeoIP database: the configured source fails.
    GeoConfig config = new GeoConfig(null, null, null, TestData.maxmind("GeoIP2-City-Test.mmdb").toString(),
        "203.0.113.7", null, null, null, null, null, null, null, null, null, null, null, null);
    GeoSubsystem node = GeoSubsystems.create(config);
    node.start(TestContexts.of(vertx, dataDir, java.time.Clock.systemUTC(), TestIdentity.numbered(12))).await();
    nodes.add(node);
    assertEquals(Health.State.degraded, node.health().state());
    assertTrue(node.health().reason().contains("location unknown"), node.health().reason());
    assertEquals(null, node.self().announcement());
  }

  @Test
  void nodeWithoutLocationIsReadyAnnouncesNothingAndStillAnswers() throws Exception {
    GeoSubsystem node = GeoSubsystems.create(GeoConfig.defaults());
    assertEquals(Health.State.starting, node.health().state());
    node.start(TestContexts.of(vertx, dataDir, java.time.Clock.systemUTC(), TestIdentity.numbered(11))).await();
    nodes.add(node);
    assertEquals(Health.State.ready, node.health().state(), "nothing configured is not a fault");
    assertEquals(null, node.self().announcement());
    assertEquals(0, node.self().knownNodes());
    assertEquals(List.of(), node.nearest(NearestQuery.near(0, 0, 3)));
    assertEquals("geo", node.name());
    assertEquals("openapi/geo.yaml", node.openApiResource().orElseThrow());
  }

  /** Routes bound before the node exists (ports first), forwarding once it does. */
  private static final class ForwardingGeo {
    volatile GeoSubsystem target;

    void mountOn(LoopbackApi api) {
      GeoService forward = new GeoService() {
        public SelfView self() { return target.self(); }
        public List<NodeMatch> nearest(NearestQuery query) { return target.nearest(query); }
        public Receipt receive(byte[] envelope) { return target.receive(envelope); }
      };
      new org.powerverse.geo.internal.GeoApi(forward, GeoConfig.DEFAULT_MAX_ANNOUNCEMENT_BYTES,
          () -> target == null ? null : target.self().nodeId()).mount(api);
    }
  }
}
