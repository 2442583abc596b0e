package org.powerverse.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;

/**
 * Work that outlives a request, as {@code GET /api/v1/jobs/{id}} shows it.
 *
 * @param id stable, time-ordered id
 * @param kind what sort of work ({@code host.benchmark})
 * @param state where it stands
 * @param percent 0–100, how far along
 * @param message what it is doing now, or how it ended
 * @param result the work's result once {@link State#succeeded}
 * @param error why it failed, once {@link State#failed}
 * @param createdAt when it was submitted
 * @param startedAt when it started running
 * @param finishedAt when it ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
    String id,
    String kind,
    State state,
    double percent,
    String message,
    JsonNode result,
    Problem error,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  /** A job's lifecycle; the last three are final. */
  public enum State {
    queued,
    running,
    succeeded,
    failed,
    cancelled;

    public boolean isFinal() {
      return this == succeeded || this == failed || this == cancelled;
    }
  }

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(createdAt, "createdAt");
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException("percent must be within 0..100, got " + percent);
    }
  }
}
