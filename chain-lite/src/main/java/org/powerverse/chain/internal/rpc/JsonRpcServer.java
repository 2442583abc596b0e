package org.powerverse.chain.internal.rpc;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Objects;
import org.powerverse.platform.Json;

/**
 * JSON-RPC over HTTP POST on its own port (the chain's, not the supervisor API's): bodies up to
 * {@link #MAX_BODY_BYTES}, answered off the event loop since calls read LMDB and recover senders.
 */
public final class JsonRpcServer {

  public static final int MAX_BODY_BYTES = 5 * 1024 * 1024;

  private final Vertx vertx;
  private final JsonRpc rpc;
  private HttpServer server;

  public JsonRpcServer(Vertx vertx, JsonRpc rpc) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.rpc = Objects.requireNonNull(rpc, "rpc");
  }

  /** Listens on host:port (port 0: any free port); completes with the bound port. */
  public Future<Integer> listen(String host, int port) {
    server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port));
    server.requestHandler(request -> {
      if (request.method() != HttpMethod.POST) {
        request.response().setStatusCode(405).putHeader("Allow", "POST").end();
        return;
      }
      long declared = request.headers().contains("Content-Length")
          ? Long.parseLong(request.getHeader("Content-Length")) : 0;
      if (declared > MAX_BODY_BYTES) {
        request.response().setStatusCode(413).end();
        return;
      }
      // Read the body ourselves so that a chunked body without Content-Length is bounded too.
      io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer();
      boolean[] tooLarge = {false};
      request.handler(chunk -> {
        if (tooLarge[0]) {
          return;
        }
        if (body.length() + chunk.length() > MAX_BODY_BYTES) {
          tooLarge[0] = true;
          // Answer now and discard the rest (closing while the client still writes could reset
          // the connection before it reads the answer).
          request.response().setStatusCode(413).end();
          return;
        }
        body.appendBuffer(chunk);
      });
      request.endHandler(v -> {
        if (tooLarge[0]) {
          return;
        }
        vertx.executeBlocking(() -> Json.MAPPER.writeValueAsBytes(rpc.handle(body.getBytes())), false)
            .onSuccess(json -> request.response().putHeader("Content-Type", "application/json")
                .end(io.vertx.core.buffer.Buffer.buffer(json)))
            .onFailure(e -> {
              if (!request.response().ended()) {
                request.response().setStatusCode(500).end();
              }
            });
      });
    });
    return server.listen().map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
