package org.powerverse.cdn.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Job;
import org.powerverse.platform.JobContext;
import org.powerverse.platform.JobWork;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.Json;

/** Jobs for tests: each runs at once on a virtual thread; {@link #await} waits for its end. */
final class TestJobs implements Jobs {

  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
  private int next;

  @Override
  public synchronized Job submit(String kind, JobWork work) {
    String id = "job-" + (++next);
    Instant now = Instant.EPOCH;
    Job queued = new Job(id, kind, Job.State.queued, 0, null, null, null, now, null, null);
    jobs.put(id, queued);
    CompletableFuture<Void> finished = new CompletableFuture<>();
    done.put(id, finished);
    Thread.ofVirtual().start(() -> {
      JobContext context = new JobContext() {
        @Override
        public String jobId() {
          return id;
        }

        @Override
        public void progress(double percent, String message) {
        }

        @Override
        public boolean isCancelled() {
          return false;
        }
      };
      try {
        Object result = work.run(context);
        jobs.put(id, new Job(id, kind, Job.State.succeeded, 100, "done", Json.tree(result), null, now, now, now));
      } catch (ApiProblem problem) {
        jobs.put(id, new Job(id, kind, Job.State.failed, 0, problem.getMessage(), null, problem.problem(), now, now, now));
      } catch (Exception e) {
        jobs.put(id, new Job(id, kind, Job.State.failed, 0, e.toString(), null, null, now, now, now));
      } finally {
        finished.complete(null);
      }
    });
    return queued;
  }

  Job await(String id) throws Exception {
    done.get(id).get(60, java.util.concurrent.TimeUnit.SECONDS);
    return jobs.get(id);
  }

  @Override
  public Optional<Job> find(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public List<Job> list(int limit) {
    return new ArrayList<>(jobs.values());
  }

  @Override
  public Optional<Job> cancel(String id) {
    return find(id);
  }
}
