package org.powerverse.geo;

import java.util.Objects;

/**
 * The answer to an offered announcement.
 *
 * @param outcome what happened
 * @param nodeId the announcing node, when the envelope got far enough to tell; else null
 * @param detail in words, for logs and the HTTP answer
 */
public record Receipt(ReceiveOutcome outcome, String nodeId, String detail) {

  public Receipt {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean isAccepted() {
    return outcome == ReceiveOutcome.accepted;
  }
}
