package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.cdn.Cdn;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.cdn.CdnStats;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Pin;
import org.powerverse.cdn.TestData;
import org.powerverse.cdn.UnixfsProfile;
import org.powerverse.platform.ApiHandler;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiRequest;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Health;
import org.powerverse.platform.Job;
import org.powerverse.platform.Json;
import org.powerverse.platform.NodeIdentity;
import org.powerverse.platform.Principal;
import org.powerverse.platform.SubsystemContext;

/**
 * The subsystem as the supervisor runs it: started with a context, gateway on a free loopback
 * port, API handlers bound to every operation of its contract fragment.
 */
@Tag("integration")
class CdnSubsystemTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private final TestJobs jobs = new TestJobs();
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private SubsystemContext context() {
    NodeIdentity identity = new NodeIdentity() {
      public String nodeId() { return "12D3KooWtest"; }
      public String did() { return "did:pkh:eip155:1:0x0"; }
      public String accountAddress() { return "0x0"; }
      public byte[] ed25519PublicKey() { return new byte[32]; }
      public byte[] signEd25519(byte[] message) { return new byte[64]; }
      public String tlsFingerprint() { return "00"; }
    };
    return new SubsystemContext(vertx, dir, Clock.systemUTC(), new SecureRandom(), identity, jobs, metrics);
  }

  private static CdnConfig config(int port) {
    return new CdnConfig(null, "127.0.0.1", port, 64L << 20, null, null, null, null, null);
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void startsTheGatewayServesAddedContentAndStops() throws Exception {
    Cdn.CdnSubsystemHandle cdn = Cdn.subsystem(config(0));
    assertEquals("cdn", cdn.name());
    await(cdn.start(context()));
    assertEquals(Health.State.ready, cdn.health().state());
    byte[] content = new byte[2_000_000];
    new Random(3).nextBytes(content);
    String cid = cdn.service().addFile(new ByteArrayInputStream(content), UnixfsProfile.UNIXFS_V1_2025, true).cid();
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cdn.gatewayPort() + "/ipfs/" + cid)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    assertArrayEquals(content, response.body());
    assertTrue(metrics.get("cdn.bytes.used").gauge().value() >= content.length);
    await(cdn.stop());
    assertEquals(Health.State.stopped, cdn.health().state());
  }

  @Test
  void aGatewayPortInUseLeavesTheSubsystemDegradedButUsable() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cdn.CdnSubsystemHandle cdn = Cdn.subsystem(config(taken.getLocalPort()));
      await(cdn.start(context()));
      assertEquals(Health.State.degraded, cdn.health().state());
      assertTrue(cdn.health().reason().contains(Integer.toString(taken.getLocalPort())), cdn.health().reason());
      assertEquals(0, cdn.service().stats().blocks());
      await(cdn.stop());
    }
  }

  @Test
  void everyOperationOfTheContractIsBound() throws Exception {
    Cdn.CdnSubsystemHandle cdn = Cdn.subsystem(config(0));
    JsonNode contract = new YAMLMapper().readTree(TestData.resource(cdn.openApiResource().orElseThrow()));
    TreeSet<String> declared = new TreeSet<>();
    contract.get("paths").forEach(path -> path.forEach(operation -> {
      if (operation.has("operationId")) {
        declared.add(operation.get("operationId").asText());
      }
    }));
    RecordingRoutes routes = new RecordingRoutes();
    cdn.mount(routes);
    assertEquals(declared, routes.bound());
    assertEquals(declared, new TreeSet<>(CdnApi.OPERATIONS));
  }

  @Test
  void apiHandlersAnswerOverTheService() throws Exception {
    Cdn.CdnSubsystemHandle cdn = Cdn.subsystem(config(0));
    RecordingRoutes routes = new RecordingRoutes();
    cdn.mount(routes);
    ApiProblem early = assertThrows(ApiProblem.class, () -> routes.call("getCdnStats", Map.of(), null));
    assertEquals(503, early.problem().status());
    await(cdn.start(context()));

    // Uploads stream through the raw handlers, mounted here on a plain router.
    Router router = Router.router(vertx);
    router.post("/files").handler(routes.raw.get("addCdnFile"));
    router.post("/cars").handler(routes.raw.get("importCdnCar"));
    int port = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
    byte[] content = new byte[5_000_000];
    new Random(4).nextBytes(content);
    HttpResponse<String> added = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/files?profile=unixfs-v0-2015"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, added.statusCode(), added.body());
    String expected = UnixfsImporter.importFile(new ByteArrayInputStream(content), UnixfsProfile.UNIXFS_V0_2015, BlockSink.DISCARD).root().toString();
    JsonNode addedJson = new ObjectMapper().readTree(added.body());
    assertEquals(expected, addedJson.get("cid").asText());
    assertEquals("/api/v1/cdn/pins/" + expected, added.headers().firstValue("Location").orElse(""));
    HttpResponse<String> imported = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/cars?pin=false"))
        .POST(HttpRequest.BodyPublishers.ofFile(TestData.conformanceFixture("gateway-cache/fixtures.car"))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(201, imported.statusCode(), imported.body());
    assertEquals(PathGatewayConformanceTest.CACHE_ROOT, new ObjectMapper().readTree(imported.body()).get("roots").get(0).asText());

    CdnStats stats = (CdnStats) routes.call("getCdnStats", Map.of(), null).body();
    assertEquals(1, stats.pins());
    ApiResponse accepted = routes.call("createCdnPin", Map.of(), "{\"cid\":\"" + PathGatewayConformanceTest.CACHE_ROOT + "\"}");
    assertEquals(202, accepted.status());
    Job job = jobs.await(((Job) accepted.body()).id());
    assertEquals(Job.State.succeeded, job.state(), String.valueOf(job));
    assertEquals(PathGatewayConformanceTest.CACHE_ROOT, job.result().get("cid").asText());
    assertEquals(PathGatewayConformanceTest.CACHE_ROOT, ((Pin) routes.call("getCdnPin", Map.of("cid", PathGatewayConformanceTest.CACHE_ROOT), null).body()).cid());
    assertEquals(2, ((java.util.List<?>) ((Map<?, ?>) routes.call("listCdnPins", Map.of(), null).body()).get("pins")).size());
    assertEquals(204, routes.call("deleteCdnPin", Map.of("cid", PathGatewayConformanceTest.CACHE_ROOT), null).status());
    assertEquals(404, assertThrows(ApiProblem.class,
        () -> routes.call("deleteCdnPin", Map.of("cid", PathGatewayConformanceTest.CACHE_ROOT), null)).problem().status());
    assertEquals(400, assertThrows(ApiProblem.class, () -> routes.call("createCdnPin", Map.of(), "{\"cid\":\"nope\"}")).problem().status());
    ApiResponse evicted = routes.call("createCdnEviction", Map.of(), "{}");
    assertEquals(5, ((org.powerverse.cdn.CdnService.Evicted) evicted.body()).blocks(), "the unpinned CAR's blocks");
    await(cdn.stop());
  }

  /** Collects the handlers a subsystem binds, and calls the non-streaming ones with a stub request. */
  private static final class RecordingRoutes implements ApiRoutes {
    final Map<String, ApiHandler> handlers = new HashMap<>();
    final Map<String, Handler<RoutingContext>> raw = new HashMap<>();

    @Override
    public void handle(String operationId, ApiHandler handler) {
      handlers.put(operationId, handler);
    }

    @Override
    public void handleBlocking(String operationId, ApiHandler handler) {
      handlers.put(operationId, handler);
    }

    @Override
    public void handleRaw(String operationId, Handler<RoutingContext> handler) {
      raw.put(operationId, handler);
    }

    TreeSet<String> bound() {
      TreeSet<String> all = new TreeSet<>(handlers.keySet());
      all.addAll(raw.keySet());
      return all;
    }

    ApiResponse call(String operationId, Map<String, String> path, String body) throws Exception {
      return handlers.get(operationId).handle(new ApiRequest() {
        public String operationId() { return operationId; }
        public Principal principal() { return null; }
        public String pathParam(String name) { return path.get(name); }
        public Optional<Object> queryParam(String name) { return Optional.empty(); }
        public Optional<String> header(String name) { return Optional.empty(); }
        public <T> T body(Class<T> type) { return Json.read(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), type); }
      });
    }
  }
}
