package org.powerverse.appliance.internal.api;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body of at most {@code limit} bytes after authentication has passed (Vert.x's
 * BodyHandler must run before authentication, which would let anyone make the node read a body).
 * A declared Content-Length over the limit is refused before a byte is read; a chunked body is
 * refused, and the connection closed, as soon as it passes the limit.
 */
public final class BoundedBody implements Handler<RoutingContext> {

  static final String BODY = "powerverse.body";

  private final long limit;

  BoundedBody(long limit) {
    this.limit = limit;
  }

  static Buffer of(RoutingContext ctx) {
    return ctx.get(BODY);
  }

  @Override
  public void handle(RoutingContext ctx) {
    read(ctx, limit, body -> {
      ctx.put(BODY, body);
      ctx.next();
    });
  }

  /**
   * Reads the body of {@code ctx}'s request, at most {@code limit} bytes, then hands it to
   * {@code then}; a larger or broken body is answered with its problem and {@code then} never runs.
   * Also for streaming operations whose handler takes a small body of one kind (a URL) besides a
   * streamed one.
   */
  public static void read(RoutingContext ctx, long limit, Handler<Buffer> then) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > limit) {
          tooLarge(ctx);
          return;
        }
      } catch (NumberFormatException e) {
        Problems.send(ctx, Problems.byStatus(400, "Content-Length is not a number: " + declared));
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > limit) {
        refused[0] = true;
        tooLarge(ctx);
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> {
      if (!refused[0]) {
        ctx.fail(e);
      }
    });
    request.endHandler(done -> {
      if (!refused[0]) {
        then.handle(body);
      }
    });
    request.resume();
  }

  private static void tooLarge(RoutingContext ctx) {
    if (ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      // HTTP/1.x: the rest of the body is not read, so this connection cannot carry another request.
      // (HTTP/2 ends just this stream; its remaining frames are dropped by the handler above.)
      ctx.response().putHeader("Connection", "close");
    }
    Problems.send(ctx, Problems.byStatus(413, null));
  }
}
