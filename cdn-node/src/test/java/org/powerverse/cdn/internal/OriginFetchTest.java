package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.powerverse.cdn.internal.TrustlessGatewayConformanceTest.header;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.TestData;

/**
 * Origin fetch: an edge gateway with an empty store in front of upstream gateways on loopback,
 * honest (our own gateway over the conformance fixtures), lying, silent or absent.
 */
@Tag("integration")
class OriginFetchTest {

  private static final String MIXED = TrustlessGatewayConformanceTest.MIXED;
  private static final String MULTIBLOCK = TrustlessGatewayConformanceTest.MULTIBLOCK;
  private static final String HELLO = TrustlessGatewayConformanceTest.HELLO;

  @TempDir
  Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private Vertx fakes;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    if (fakes != null) {
      fakes.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private GatewayHarness upstream(String... fixtures) throws Exception {
    GatewayHarness harness = GatewayHarness.start(Files.createTempDirectory(dir, "upstream"), fixtures);
    closing.add(harness);
    return harness;
  }

  private GatewayHarness edge(Duration timeout, URI... upstreams) throws Exception {
    GatewayHarness harness = GatewayHarness.start(Files.createTempDirectory(dir, "edge"), List.of(upstreams), timeout);
    closing.add(harness);
    return harness;
  }

  /** A fake upstream on loopback answering every request with {@code handler}; counts requests. */
  private URI fake(AtomicInteger requests, Consumer<HttpServerRequest> handler) throws Exception {
    if (fakes == null) {
      fakes = Vertx.vertx();
    }
    HttpServer server = fakes.createHttpServer().requestHandler(request -> {
      requests.incrementAndGet();
      handler.accept(request);
    });
    int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).actualPort();
    return URI.create("http://127.0.0.1:" + port);
  }

  @Test
  void missesComeFromTheUpstreamVerifiedAndStayCached() throws Exception {
    GatewayHarness upstream = upstream("trustless_gateway_car/subdir-with-mixed-block-files.car", "gateway-cache/fixtures.car");
    GatewayHarness edge = edge(Duration.ofSeconds(10), upstream.uri(""));
    HttpResponse<byte[]> file = edge.get("/ipfs/" + MIXED + "/subdir/multiblock.txt");
    assertEquals(200, file.statusCode());
    assertArrayEquals(upstream.get("/ipfs/" + MIXED + "/subdir/multiblock.txt").body(), file.body());
    assertEquals(1026, file.body().length);
    assertTrue(edge.store.has(Cid.parse(MULTIBLOCK)));
    for (String leaf : TrustlessGatewayConformanceTest.MULTIBLOCK_LEAVES) {
      assertTrue(edge.store.has(Cid.parse(leaf)), leaf);
    }
    long requestsBefore = edge.origin.requests();
    HttpResponse<byte[]> cached = edge.get("/ipfs/" + MIXED + "/subdir/multiblock.txt", "Cache-Control", "only-if-cached");
    assertEquals(200, cached.statusCode());
    assertEquals(requestsBefore, edge.origin.requests(), "a hit asks no upstream");

    // A directory with index.html needs a second fetch (the page is outside the directory's entity).
    HttpResponse<byte[]> index = edge.get("/ipfs/" + PathGatewayConformanceTest.CACHE_ROOT + "/root2/root3/root4/");
    assertEquals(200, index.statusCode());
    assertEquals("hello\n", new String(index.body(), StandardCharsets.UTF_8));
    long[] counters = edge.store.counters();
    assertTrue(counters[3] >= 1 && counters[4] >= 2, "hits " + counters[3] + ", misses " + counters[4]);
  }

  @Test
  void trustlessResponsesPassThroughTheEdge() throws Exception {
    GatewayHarness upstream = upstream("trustless_gateway_car/subdir-with-mixed-block-files.car");
    GatewayHarness edge = edge(Duration.ofSeconds(10), upstream.uri(""));
    HttpResponse<byte[]> car = edge.get("/ipfs/" + MIXED + "/subdir?format=car&dag-scope=all");
    assertEquals(200, car.statusCode());
    assertEquals(GatewayHarness.carBlocks(upstream.get("/ipfs/" + MIXED + "/subdir?format=car&dag-scope=all").body()),
        GatewayHarness.carBlocks(car.body()));
    HttpResponse<byte[]> raw = edge.get("/ipfs/" + HELLO + "?format=raw");
    assertEquals("hello world\n", new String(raw.body(), StandardCharsets.UTF_8));
  }

  @Test
  void lyingUpstreamGets502AndNothingIsCached() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    URI liar = fake(requests, OriginFetchTest::lie);
    GatewayHarness edge = edge(Duration.ofSeconds(10), liar);
    HttpResponse<byte[]> response = edge.get("/ipfs/" + HELLO);
    assertEquals(502, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("60", header(response, "Retry-After"));
    assertEquals(502, edge.get("/ipfs/" + HELLO + "?format=raw").statusCode());
    assertFalse(edge.store.has(Cid.parse(HELLO)));
    assertEquals(0, edge.store.counters()[1], "no block of any lying response was stored");
    assertTrue(requests.get() >= 2 && edge.origin.failures() >= 2);
  }

  @Test
  void theNextUpstreamIsTriedAfterALiarAndAnUnreachableOne() throws Exception {
    URI liar = fake(new AtomicInteger(), OriginFetchTest::lie);
    URI closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
    GatewayHarness upstream = upstream("trustless_gateway_car/subdir-with-mixed-block-files.car");
    GatewayHarness edge = edge(Duration.ofSeconds(10), liar, closed, upstream.uri(""));
    HttpResponse<byte[]> response = edge.get("/ipfs/" + HELLO);
    assertEquals(200, response.statusCode());
    assertEquals("hello world\n", new String(response.body(), StandardCharsets.UTF_8));
    assertTrue(edge.store.has(Cid.parse(HELLO)));
  }

  @Test
  void contentNoUpstreamHasIs404() throws Exception {
    GatewayHarness empty = upstream();
    GatewayHarness edge = edge(Duration.ofSeconds(10), empty.uri(""));
    assertEquals(404, edge.get("/ipfs/" + HELLO).statusCode());
  }

  @Test
  void silentUpstreamTimesOutWith504() throws Exception {
    URI silent = fake(new AtomicInteger(), request -> { });
    GatewayHarness edge = edge(Duration.ofMillis(500), silent);
    HttpResponse<byte[]> response = edge.get("/ipfs/" + HELLO);
    assertEquals(504, response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
    assertEquals("60", header(response, "Retry-After"));
  }

  @Test
  void concurrentRequestsForTheSameContentShareOneFetch() throws Exception {
    byte[] car = Files.readAllBytes(TestData.conformanceFixture("trustless_gateway_car/subdir-with-mixed-block-files.car"));
    AtomicInteger requests = new AtomicInteger();
    Promise<Void> release = Promise.promise();
    URI held = fake(requests, request -> release.future().onComplete(done ->
        request.response().putHeader("Content-Type", "application/vnd.ipld.car; version=1").end(Buffer.buffer(car))));
    GatewayHarness edge = edge(Duration.ofSeconds(20), held);
    int clients = 8;
    List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      responses.add(CompletableFuture.supplyAsync(() -> {
        try {
          return edge.get("/ipfs/" + MIXED + "/subdir/multiblock.txt");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (edge.origin.waiting() < clients && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(clients, edge.origin.waiting(), "every request is waiting on the fetch");
    fakes.runOnContext(v -> release.complete());
    for (CompletableFuture<HttpResponse<byte[]>> response : responses) {
      assertEquals(200, response.get(30, TimeUnit.SECONDS).statusCode());
    }
    assertEquals(1, requests.get(), "one upstream request served all " + clients);
  }

  /** Answers every request with data that does not match the CID asked for. */
  private static void lie(HttpServerRequest request) {
    Cid cid = Cid.parse(request.path().split("/")[2]);
    byte[] wrong = "HELLO WORLD\n".getBytes(StandardCharsets.UTF_8);
    if ("car".equals(request.getParam("format"))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        CarWriter writer = new CarWriter(out, List.of(cid));
        writer.put(cid, ByteBuffer.wrap(wrong));
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      request.response().putHeader("Content-Type", "application/vnd.ipld.car; version=1").end(Buffer.buffer(out.toByteArray()));
    } else {
      request.response().putHeader("Content-Type", "application/vnd.ipld.raw").end(Buffer.buffer(wrong));
    }
  }
}
