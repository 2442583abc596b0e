package org.powerverse.platform;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * A part of the node the supervisor runs: hypervisor, chain, CDN, geo. The supervisor mounts its
 * routes, starts it, asks its health, and stops it on shutdown. A subsystem that cannot get what it
 * needs (libvirt on a laptop) starts anyway in {@link Health.State#degraded} with the reason, so the
 * rest of the node keeps serving.
 */
public interface Subsystem {

  /** Its name: also its config section, its metrics prefix and its data directory. */
  String name();

  /**
   * The classpath resource holding this subsystem's part of the OpenAPI document (YAML with
   * {@code paths} and {@code components}); the supervisor merges all parts into one contract.
   */
  default Optional<String> openApiResource() {
    return Optional.empty();
  }

  /** Binds handlers to the operations of its OpenAPI part. Called once, before {@link #start}. */
  default void mount(ApiRoutes routes) {}

  /**
   * Starts the subsystem. The future fails only when the subsystem can do nothing at all; partial
   * trouble is reported through {@link #health()} instead.
   */
  Future<Void> start(SubsystemContext context);

  /** Current health; cheap, called on every {@code /readyz}. */
  Health health();

  /** Stops the subsystem and releases what it holds (connections, LMDB environments). Idempotent. */
  Future<Void> stop();
}
