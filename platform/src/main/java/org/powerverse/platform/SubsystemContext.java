package org.powerverse.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;

/**
 * What the supervisor hands a subsystem when it starts it. Time and randomness come from here,
 * never from {@code Instant.now()} or a new {@code SecureRandom} inside logic (STYLE.md §7).
 *
 * @param vertx the one Vert.x instance
 * @param dataDir this subsystem's own directory under the node's data directory (created)
 * @param clock the clock to read time from
 * @param random the random source for keys, ids and nonces
 * @param identity the node's keys
 * @param jobs where long work runs and reports progress
 * @param metrics where the subsystem registers its meters (rendered on {@code /metrics})
 */
public record SubsystemContext(
    Vertx vertx,
    Path dataDir,
    Clock clock,
    SecureRandom random,
    NodeIdentity identity,
    Jobs jobs,
    MeterRegistry metrics) {

  public SubsystemContext {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(jobs, "jobs");
    Objects.requireNonNull(metrics, "metrics");
  }
}
