package org.powerverse.platform;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Where a subsystem binds handlers to the operations of its OpenAPI part. The API layer has
 * already authenticated the caller, checked its role and validated the request when a handler
 * runs. Every operation in a subsystem's part must be bound, or the supervisor refuses to start.
 */
public interface ApiRoutes {

  /** A handler that never blocks: it runs on the event loop (cheap reads of in-memory state). */
  void handle(String operationId, ApiHandler handler);

  /** A handler that may block (LMDB writes, libvirt, sysfs): it runs on a virtual thread. */
  void handleBlocking(String operationId, ApiHandler handler);

  /**
   * A raw Vert.x handler for streaming bodies and WebSockets; auth and parameter validation have
   * run, the body has not been read (operations marked {@code x-powerverse-streaming: true}).
   */
  void handleRaw(String operationId, Handler<RoutingContext> handler);
}
