package org.powerverse.platform;

import java.util.List;
import java.util.Optional;

/** Runs long work as jobs with progress, and keeps their outcome (durably) for clients to poll. */
public interface Jobs {

  /** Queues the work and returns the job as it stands (queued). */
  Job submit(String kind, JobWork work);

  Optional<Job> find(String id);

  /** The newest jobs first, at most {@code limit}. */
  List<Job> list(int limit);

  /** Asks a queued or running job to stop; returns it as it then stands. */
  Optional<Job> cancel(String id);
}
