package org.powerverse.hypervisor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** A value recomputed at most once per time-to-live (OSHI-style memoization for expensive reads). */
final class Memo<T> {

  private final Supplier<T> compute;
  private final Duration ttl;
  private final Clock clock;
  private T value;
  private Instant computedAt;

  Memo(Supplier<T> compute, Duration ttl, Clock clock) {
    this.compute = compute;
    this.ttl = ttl;
    this.clock = clock;
  }

  synchronized T get() {
    Instant now = clock.instant();
    if (value == null || ttl.isZero() || !now.isBefore(computedAt.plus(ttl))) {
      value = compute.get();
      computedAt = now;
    }
    return value;
  }
}
