package org.powerverse.platform;

import java.time.Instant;
import java.util.Objects;

/**
 * A subsystem's health as the supervisor reports it in {@code /readyz} and {@code GET /api/v1/node}.
 *
 * @param state where the subsystem stands
 * @param reason why it is not {@link State#ready}, in words an operator can act on; null when ready
 * @param since when it entered this state
 */
public record Health(State state, String reason, Instant since) {

  /** Lifecycle states; only {@link #ready} counts as ready for {@code /readyz}. */
  public enum State {
    /** Starting; not serving yet. */
    starting,
    /** Serving everything it offers. */
    ready,
    /** Running but something it needs is missing (e.g. libvirt unreachable); see the reason. */
    degraded,
    /** Could not start at all; see the reason. */
    failed,
    /** Stopped by shutdown. */
    stopped
  }

  public Health {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    if (state != State.ready && state != State.starting && state != State.stopped && reason == null) {
      throw new IllegalArgumentException("a " + state + " health needs a reason");
    }
  }

  public static Health starting(Instant now) {
    return new Health(State.starting, "starting", now);
  }

  public static Health ready(Instant now) {
    return new Health(State.ready, null, now);
  }

  public static Health degraded(String reason, Instant now) {
    return new Health(State.degraded, reason, now);
  }

  public static Health failed(String reason, Instant now) {
    return new Health(State.failed, reason, now);
  }

  public static Health stopped(Instant now) {
    return new Health(State.stopped, null, now);
  }

  public boolean isReady() {
    return state == State.ready;
  }

  /** The same health, keeping {@code since} when nothing changed (so it says how long a state lasted). */
  public Health transitionTo(Health next) {
    return next.state == state && Objects.equals(next.reason, reason) ? this : next;
  }
}
