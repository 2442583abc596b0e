package org.powerverse.appliance.internal.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Ids;
import org.powerverse.platform.Job;
import org.powerverse.platform.JobContext;
import org.powerverse.platform.JobWork;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.Json;
import org.powerverse.platform.Lmdb;
import org.powerverse.platform.Problem;
import org.powerverse.platform.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs jobs on virtual threads and keeps them in LMDB. A running job's progress lives in memory and
 * is written at most once a second and on every change of state, so polling is cheap and a crash
 * loses at most a second of progress. Jobs that were running when the supervisor died are marked
 * failed at the next start: their work did not finish, and nothing resumes it silently.
 */
public final class JobRunner implements Jobs, AutoCloseable {

  static final String TABLE = "jobs";
  static final int RETAINED = 500;
  private static final Duration PERSIST_EVERY = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final Table<Job> table;
  private final Clock clock;
  private final SecureRandom random;
  private final ExecutorService executor =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-", 0).factory());
  private final Map<String, Running> running = new ConcurrentHashMap<>();

  public JobRunner(Lmdb lmdb, Clock clock, SecureRandom random, MeterRegistry metrics) {
    this.table = lmdb.table(TABLE, Job.class);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    failInterrupted();
    for (Job.State state : Job.State.values()) {
      Gauge.builder("powerverse_jobs_running", running, r -> r.values().stream()
              .filter(job -> job.current.state() == state).count())
          .tag("state", state.name()).description("Jobs of this process by state").register(metrics);
    }
  }

  private void failInterrupted() {
    List<Job> stale = table.list("", false, Integer.MAX_VALUE).stream().filter(job -> !job.state().isFinal()).toList();
    Instant now = clock.instant();
    for (Job job : stale) {
      table.put(job.id(), new Job(job.id(), job.kind(), Job.State.failed, job.percent(),
          "interrupted: the supervisor stopped while this job ran", null,
          Problem.of("interrupted", "Interrupted", 500, "the supervisor stopped while this job ran; start it again"),
          job.createdAt(), job.startedAt(), now));
      LOG.atWarn().addKeyValue("job", job.id()).addKeyValue("kind", job.kind()).log("job interrupted by a restart");
    }
  }

  @Override
  public Job submit(String kind, JobWork work) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(work, "work");
    Instant now = clock.instant();
    Job queued = new Job(Ids.ulid(clock, random), kind, Job.State.queued, 0, "queued", null, null, now, null, null);
    Running run = new Running(queued);
    running.put(queued.id(), run);
    table.put(queued.id(), queued);
    prune();
    // Every submitted job's work runs exactly once, even if cancelled first: the work's own
    // clean-up (finally blocks) must always get to run.
    executor.execute(() -> run.execute(work));
    return queued;
  }

  @Override
  public Optional<Job> find(String id) {
    Running run = running.get(id);
    return run != null ? Optional.of(run.current) : table.get(id);
  }

  @Override
  public List<Job> list(int limit) {
    List<Job> stored = table.list("", true, limit);
    List<Job> out = new ArrayList<>(stored.size());
    for (Job job : stored) {
      Running run = running.get(job.id());
      out.add(run != null ? run.current : job);
    }
    return out;
  }

  @Override
  public Optional<Job> cancel(String id) {
    Running run = running.get(id);
    if (run == null) {
      return table.get(id); // already over: cancelling changes nothing
    }
    run.cancelled = true;
    return Optional.of(run.current);
  }

  private void prune() {
    long count = table.count();
    if (count <= RETAINED) {
      return;
    }
    List<Job> oldest = table.list("", false, (int) (count - RETAINED));
    for (Job job : oldest) {
      if (job.state().isFinal()) {
        table.delete(job.id());
      }
    }
  }

  /**
   * Asks every running job to stop and waits up to {@code grace} for them; jobs still running are
   * recorded as interrupted.
   */
  public void shutdown(Duration grace) {
    running.values().forEach(run -> run.cancelled = true);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.atWarn().addKeyValue("jobs", running.size()).log("jobs still running at shutdown");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(2));
  }

  /** One job while it runs in this process. */
  private final class Running implements JobContext {
    private volatile Job current;
    private volatile boolean cancelled;
    private volatile Instant lastPersisted = Instant.EPOCH;

    Running(Job queued) {
      this.current = queued;
    }

    void execute(JobWork work) {
      Instant started = clock.instant();
      update(new Job(current.id(), current.kind(), Job.State.running, 0, "running", null, null, current.createdAt(),
          started, null), true);
      Job.State state;
      String message;
      com.fasterxml.jackson.databind.JsonNode result = null;
      Problem error = null;
      double percent = current.percent();
      try {
        Object value = work.run(this);
        if (cancelled) {
          state = Job.State.cancelled;
          message = "cancelled";
        } else {
          state = Job.State.succeeded;
          message = "done";
          percent = 100;
          result = value == null ? null : Json.tree(value);
        }
      } catch (CancellationException e) {
        state = Job.State.cancelled;
        message = "cancelled";
      } catch (ApiProblem e) {
        state = Job.State.failed;
        message = e.problem().detail() == null ? e.problem().title() : e.problem().detail();
        error = e.problem();
      } catch (Exception | Error e) {
        String reference = java.util.UUID.randomUUID().toString();
        LOG.atError().setCause(e).addKeyValue("job", current.id()).addKeyValue("kind", current.kind())
            .addKeyValue("reference", reference).log("job failed");
        state = Job.State.failed;
        message = "failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        error = Problem.of("job-failed", "Job failed", 500, message + " (log reference " + reference + ")");
      }
      update(new Job(current.id(), current.kind(), state, percent, message, result, error, current.createdAt(),
          started, clock.instant()), true);
      running.remove(current.id());
    }

    @Override
    public String jobId() {
      return current.id();
    }

    @Override
    public void progress(double percent, String message) {
      Job job = current;
      double clamped = Math.max(job.percent(), Math.min(100, Math.max(0, percent)));
      update(new Job(job.id(), job.kind(), job.state(), clamped, message, null, null, job.createdAt(), job.startedAt(),
          null), false);
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    private synchronized void update(Job next, boolean force) {
      current = next;
      Instant now = clock.instant();
      if (force || !now.isBefore(lastPersisted.plus(PERSIST_EVERY))) {
        table.put(next.id(), next);
        lastPersisted = now;
      }
    }
  }
}
