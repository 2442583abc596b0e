package org.powerverse.platform;

import java.util.concurrent.CancellationException;

/** Handed to running job work: report progress, notice cancellation. */
public interface JobContext {

  String jobId();

  /** Reports progress; percent is clamped to 0–100 and never goes backwards. */
  void progress(double percent, String message);

  boolean isCancelled();

  /** Throws {@link CancellationException} once the job was cancelled; call it between steps. */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new CancellationException("cancelled");
    }
  }
}
