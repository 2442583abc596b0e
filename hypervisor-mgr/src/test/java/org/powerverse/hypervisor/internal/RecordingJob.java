package org.powerverse.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import org.powerverse.platform.JobContext;

/** A job context for running job work directly in a test: records progress, can be cancelled. */
final class RecordingJob implements JobContext {

  final List<Double> percents = new ArrayList<>();
  final List<String> messages = new ArrayList<>();
  volatile boolean cancelled;
  volatile Runnable onProgress = () -> {};

  @Override
  public String jobId() {
    return "01TESTJOB00000000000000000";
  }

  @Override
  public synchronized void progress(double percent, String message) {
    percents.add(percent);
    messages.add(message);
    onProgress.run();
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }
}
