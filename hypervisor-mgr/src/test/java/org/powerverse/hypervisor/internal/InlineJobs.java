package org.powerverse.hypervisor.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Job;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.Json;
import org.powerverse.platform.Problem;

/** Jobs for tests: runs the work at once on the caller's thread and answers the finished job. */
final class InlineJobs implements Jobs {
  private final List<Job> done = new ArrayList<>();

  @Override
  public synchronized Job submit(String kind, org.powerverse.platform.JobWork work) {
    RecordingJob context = new RecordingJob();
    Instant start = Instant.now();
    String id = "job-" + done.size();
    Job job;
    try {
      Object result = work.run(context);
      job = new Job(id, kind, Job.State.succeeded, 100, null, Json.tree(result), null, start, start, Instant.now());
    } catch (ApiProblem e) {
      job = new Job(id, kind, Job.State.failed, 0, e.getMessage(), null, e.problem(), start, start, Instant.now());
    } catch (Exception e) {
      job = new Job(id, kind, Job.State.failed, 0, e.toString(), null,
          Problem.of("internal", "Internal error", 500, e.toString()), start, start, Instant.now());
    }
    done.add(job);
    return job;
  }

  @Override
  public synchronized Optional<Job> find(String id) {
    return done.stream().filter(j -> j.id().equals(id)).findFirst();
  }

  @Override
  public synchronized List<Job> list(int limit) {
    return done.stream().limit(limit).toList();
  }

  @Override
  public Optional<Job> cancel(String id) {
    return find(id);
  }
}
