package org.powerverse.cdn.internal;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import org.powerverse.cdn.Cid;
import org.powerverse.platform.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own HTTP listener. A request is planned on the event loop against a blockstore
 * snapshot; when every block is there (a cache hit) the response is written from that snapshot's
 * memory with no copy, and the snapshot closes when the last byte is written. A miss moves to a
 * virtual thread, which fetches from the upstreams and plans again, and the event loop writes the
 * result. {@code Cache-Control: only-if-cached} misses answer 412; without upstreams a miss is 404
 * (a non-recursive gateway, path gateway spec).
 */
public final class GatewayServer {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
  /** Single-block fetches one request may make after its CAR fetch, before it gives up with 502. */
  static final int MAX_BLOCK_FETCHES = 4096;

  /**
   * Where and how the gateway listens.
   *
   * @param host the address to bind
   * @param port the port (0 picks a free one)
   * @param tlsCertPath PEM certificate chain for HTTPS, or null for plain HTTP
   * @param tlsKeyPath PEM private key for HTTPS, or null
   */
  public record Listen(String host, int port, String tlsCertPath, String tlsKeyPath) {}

  private final Vertx vertx;
  private final LmdbBlockstore store;
  private final OriginFetcher origin;
  private final Listen listen;
  private final java.util.List<HttpServer> servers = new java.util.ArrayList<>();

  /** {@code origin} is null when no upstream is configured. */
  public GatewayServer(Vertx vertx, LmdbBlockstore store, OriginFetcher origin, Listen listen) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.origin = origin;
    this.listen = Objects.requireNonNull(listen, "listen");
  }

  /**
   * Starts listening; the future carries the bound port. A server runs its connections on one
   * event loop, so on a fixed port one server per core shares the port (Vert.x hands each new
   * connection to the next server, round robin): cache hits are CPU-bound on the event loop, and
   * one loop capped the gateway at a fraction of nginx's rate on small files
   * (docs/benchmarks/cdn.md).
   */
  public Future<Integer> start() {
    return start(Runtime.getRuntime().availableProcessors());
  }

  Future<Integer> start(int eventLoops) {
    if (eventLoops < 1) {
      throw new IllegalArgumentException("eventLoops must be at least 1, got " + eventLoops);
    }
    // Vert.x shares one bound socket among the servers of one host and port, handing each new
    // connection to the next of them. A random port (0) cannot be shared that way (each server
    // would get a port of its own, and the negative "shared random port" of vert.x#3998 is one
    // group per Vertx instance, so two gateways in one JVM would share it): port 0 gets one server.
    int count = listen.port() == 0 ? 1 : eventLoops;
    Future<Integer> all = listenOne(listen.port());
    for (int i = 1; i < count; i++) {
      all = all.compose(bound -> listenOne(listen.port()).map(bound));
    }
    return all;
  }

  private Future<Integer> listenOne(int port) {
    HttpServerOptions options = new HttpServerOptions().setHost(listen.host()).setPort(port)
        .setCompressionSupported(false).setTcpNoDelay(true);
    if (listen.tlsCertPath() != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(listen.tlsCertPath()).setKeyPath(listen.tlsKeyPath()));
    }
    HttpServer server = vertx.createHttpServer(options).requestHandler(this::handle);
    synchronized (servers) {
      servers.add(server);
    }
    // A server runs on the context it listens from: a fresh event-loop context takes the pool's
    // next event loop, where listening from the caller's context would put every server on one.
    ContextInternal context = ((VertxInternal) vertx).createEventLoopContext();
    Promise<Integer> bound = context.promise();
    context.runOnContext(ignored -> server.listen().map(HttpServer::actualPort).onComplete(bound));
    return bound.future();
  }

  public Future<Void> stop() {
    java.util.List<HttpServer> started;
    synchronized (servers) {
      started = java.util.List.copyOf(servers);
      servers.clear();
    }
    return Future.all(started.stream().map(HttpServer::close).toList()).mapEmpty();
  }

  private void handle(HttpServerRequest http) {
    GatewayRequest request;
    try {
      request = GatewayRequest.parse(http.method().name(), http.path(), http.query(), http::getParam, http::getHeader);
    } catch (GatewayRequest.BadRequestException e) {
      Map<String, String> headers = e.status() == 405 ? Map.of("Allow", "GET, HEAD") : Map.of();
      send(http, GatewayResponse.text(e.status(), e.getMessage(), headers), null);
      return;
    }
    LmdbBlockstore.Snapshot snapshot;
    try {
      snapshot = store.snapshot();
    } catch (org.lmdbjava.Env.ReadersFullException e) {
      // Each response in flight holds an LMDB reader slot until its last byte is written; when all
      // are taken (slow clients), shed load rather than fail the connection.
      send(http, GatewayResponse.text(503, "too many responses in flight; retry shortly", Map.of("Retry-After", "1")), null);
      return;
    }
    GatewayResponse response;
    try {
      response = Gateway.plan(request, snapshot);
    } catch (MissingBlockException e) {
      snapshot.close();
      missed(http, request, e.cid());
      return;
    } catch (RuntimeException e) {
      snapshot.close();
      send(http, failure(request, e), null);
      return;
    }
    store.recordLookup(true);
    send(http, response, snapshot);
  }

  private void missed(HttpServerRequest http, GatewayRequest request, Cid missing) {
    store.recordLookup(false);
    if (request.onlyIfCached()) {
      // Path gateway spec, "only-if-cached": 412 rather than a fetch.
      send(http, new GatewayResponse(412, Map.of(), java.util.List.of(), 0), null);
      return;
    }
    if (origin == null) {
      send(http, GatewayResponse.text(404, "block " + missing + " is not on this gateway, and it has no upstream to fetch from"), null);
      return;
    }
    Blocking.call(vertx, () -> fetchAndPlan(request, missing)).onComplete(result -> {
      if (result.succeeded()) {
        send(http, result.result().response, result.result().snapshot);
      } else {
        send(http, failure(request, result.cause()), null);
      }
    });
  }

  private record Planned(GatewayResponse response, LmdbBlockstore.Snapshot snapshot) {}

  /** On a virtual thread: fetch the request's CAR once, then single blocks, until planning succeeds. */
  private Planned fetchAndPlan(GatewayRequest request, Cid firstMissing) {
    Cid missing = firstMissing;
    boolean triedCar = false;
    for (int fetches = 0; fetches <= MAX_BLOCK_FETCHES; fetches++) {
      if (!triedCar) {
        triedCar = true;
        try {
          origin.fetchCar(carPath(request));
        } catch (OriginFetcher.OriginException e) {
          // Some upstreams serve blocks but not CARs (or this path): fall back to the block.
          origin.fetchBlock(missing);
        }
      } else {
        origin.fetchBlock(missing);
      }
      LmdbBlockstore.Snapshot snapshot = store.snapshot();
      try {
        return new Planned(Gateway.plan(request, snapshot), snapshot);
      } catch (MissingBlockException e) {
        snapshot.close();
        missing = e.cid();
      } catch (RuntimeException e) {
        snapshot.close();
        throw e;
      }
    }
    throw new OriginFetcher.OriginException(OriginFetcher.Failure.BAD_GATEWAY,
        "gave up after " + MAX_BLOCK_FETCHES + " block fetches; still missing " + missing);
  }

  /** The upstream CAR request that should bring every block this request needs. */
  static String carPath(GatewayRequest request) {
    StringBuilder path = new StringBuilder("/ipfs/").append(request.root());
    for (String segment : request.segments()) {
      path.append('/').append(GatewayRequest.percentEncode(segment));
    }
    path.append("?format=car&dag-scope=");
    switch (request.format()) {
      case CAR -> {
        path.append(request.scope().name().toLowerCase(java.util.Locale.ROOT));
        if (request.entityBytes() != null) {
          path.append("&entity-bytes=").append(request.entityBytes());
        }
      }
      case DESERIALIZED -> {
        if (request.head()) {
          path.append("block");
        } else {
          path.append("entity");
          String bytes = entityBytesOfRange(request.range());
          if (bytes != null) {
            path.append("&entity-bytes=").append(bytes);
          }
        }
      }
      default -> path.append("block");
    }
    return path.toString();
  }

  /** A single HTTP range as entity-bytes (both inclusive), or null. */
  static String entityBytesOfRange(String range) {
    if (range == null || !range.startsWith("bytes=") || range.contains(",")) {
      return null;
    }
    String spec = range.substring("bytes=".length()).trim();
    if (spec.matches("[0-9]{1,18}-[0-9]{1,18}")) {
      return spec.replace('-', ':');
    }
    if (spec.matches("[0-9]{1,18}-")) {
      return spec.substring(0, spec.length() - 1) + ":*";
    }
    if (spec.matches("-[0-9]{1,18}")) {
      return spec + ":*";
    }
    return null;
  }

  private static GatewayResponse failure(GatewayRequest request, Throwable cause) {
    if (cause instanceof OriginFetcher.OriginException origin) {
      return switch (origin.failure()) {
        case NOT_FOUND -> GatewayResponse.text(404, "not found on any upstream: " + origin.getMessage());
        case BAD_GATEWAY -> GatewayResponse.text(502, "bad gateway: " + origin.getMessage(), Map.of("Retry-After", "60"));
        case TIMEOUT -> GatewayResponse.text(504, "gateway timeout: " + origin.getMessage(), Map.of("Retry-After", "60"));
      };
    }
    if (cause instanceof GatewayRequest.BadRequestException bad) {
      return GatewayResponse.text(bad.status(), bad.getMessage());
    }
    if (cause instanceof IllegalArgumentException invalid) {
      // A verified block that is not valid for its codec: the DAG itself is broken.
      return GatewayResponse.text(502, "the DAG under " + request.root() + " is invalid: " + invalid.getMessage());
    }
    LOG.error("gateway request {} failed", request.rawPath(), cause);
    return GatewayResponse.text(500, "internal error");
  }

  /** Writes a response; buffers stay valid until the snapshot (if any) closes after the last write. */
  private static void send(HttpServerRequest http, GatewayResponse response, LmdbBlockstore.Snapshot snapshot) {
    HttpServerResponse out = http.response();
    out.setStatusCode(response.status());
    response.headers().forEach(out::putHeader);
    if (response.length() >= 0 && !response.headers().containsKey("Content-Length") && response.status() != 304) {
      out.putHeader("Content-Length", Long.toString(response.length()));
    }
    Runnable release = snapshot == null ? () -> { } : snapshot::close;
    if (http.method() == HttpMethod.HEAD || response.body().isEmpty()) {
      out.end().onComplete(done -> release.run());
      return;
    }
    out.closeHandler(closed -> release.run());
    Iterator<ByteBuffer> parts = response.body().iterator();
    pump(out, parts, release);
  }

  /** Writes parts until the connection's queue is full, then resumes on drain (backpressure). */
  private static void pump(HttpServerResponse out, Iterator<ByteBuffer> parts, Runnable release) {
    while (parts.hasNext()) {
      ByteBuffer part = parts.next();
      if (!parts.hasNext() && part.hasRemaining()) {
        // The last part goes with the end: one write and one promise less per response (small
        // cache hits are one part).
        out.end(BufferInternal.buffer(Unpooled.wrappedBuffer(part))).onComplete(done -> release.run());
        return;
      }
      if (part.hasRemaining()) {
        out.write(BufferInternal.buffer(Unpooled.wrappedBuffer(part)));
      }
      if (out.writeQueueFull() && parts.hasNext()) {
        out.drainHandler(drained -> pump(out, parts, release));
        return;
      }
    }
    out.end().onComplete(done -> release.run());
  }
}
