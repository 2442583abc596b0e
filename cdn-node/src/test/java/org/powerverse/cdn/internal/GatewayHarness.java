package org.powerverse.cdn.internal;

import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.powerverse.cdn.Block;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.TestData;

/**
 * A gateway on loopback over a fresh blockstore, for tests that speak HTTP to it. Closing it
 * stops the server, the fetcher, the store and Vert.x.
 */
final class GatewayHarness implements AutoCloseable {

  final Vertx vertx;
  final LmdbBlockstore store;
  final OriginFetcher origin;
  final GatewayServer server;
  final int port;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private GatewayHarness(Vertx vertx, LmdbBlockstore store, OriginFetcher origin, GatewayServer server, int port) {
    this.vertx = vertx;
    this.store = store;
    this.origin = origin;
    this.server = server;
    this.port = port;
  }

  /** A gateway whose store holds the given conformance fixtures; upstreams (may be empty) for misses. */
  static GatewayHarness start(Path dir, List<URI> upstreams, Duration originTimeout, String... fixtures) throws Exception {
    Vertx vertx = Vertx.vertx();
    LmdbBlockstore store = LmdbBlockstore.open(dir, 256L << 20, Clock.systemUTC());
    for (String fixture : fixtures) {
      load(store, TestData.conformanceFixture(fixture));
    }
    OriginFetcher origin = upstreams.isEmpty() ? null : new OriginFetcher(upstreams, originTimeout, store);
    GatewayServer server = new GatewayServer(vertx, store, origin, new GatewayServer.Listen("127.0.0.1", 0, null, null));
    int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new GatewayHarness(vertx, store, origin, server, port);
  }

  static GatewayHarness start(Path dir, String... fixtures) throws Exception {
    return start(dir, List.of(), Duration.ofSeconds(5), fixtures);
  }

  /** Every block of a CAR into the store (all of them, whether reachable or not). */
  static void load(LmdbBlockstore store, Path car) throws IOException {
    List<Block> blocks = new ArrayList<>();
    try (var in = java.nio.file.Files.newInputStream(car); CarReader reader = CarReader.open(in)) {
      CarReader.Section section;
      while ((section = reader.next()) != null) {
        blocks.add(section.block());
      }
    }
    store.putAll(blocks);
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    return send("GET", pathAndQuery, headers);
  }

  HttpResponse<byte[]> head(String pathAndQuery, String... headers) throws IOException, InterruptedException {
    return send("HEAD", pathAndQuery, headers);
  }

  HttpResponse<byte[]> send(String method, String pathAndQuery, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The CIDs of a CAR body, in order, each block verified; and its roots first. */
  static List<Cid> carBlocks(byte[] body) throws IOException {
    List<Cid> out = new ArrayList<>();
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(body))) {
      CarReader.Section section;
      while ((section = reader.next()) != null) {
        out.add(section.block().cid());
      }
    }
    return out;
  }

  static List<Cid> carRoots(byte[] body) throws IOException {
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(body))) {
      return reader.roots();
    }
  }

  @Override
  public void close() throws Exception {
    server.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    if (origin != null) {
      origin.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    store.close();
  }
}
