package org.powerverse.appliance.internal.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Job;
import org.powerverse.platform.Lmdb;

class JobRunnerTest {

  @TempDir Path dir;

  private Lmdb lmdb() {
    return Lmdb.open(dir, 64L << 20, List.of("jobs"));
  }

  private static Job awaitFinal(JobRunner jobs, String id) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Job job = jobs.find(id).orElseThrow();
    while (!job.state().isFinal() && System.nanoTime() < deadline) {
      Thread.sleep(5);
      job = jobs.find(id).orElseThrow();
    }
    return job;
  }

  @Test
  void resultBecomesJsonAndProgressReachesOneHundred() throws Exception {
    try (Lmdb lmdb = lmdb(); JobRunner jobs = new JobRunner(lmdb, Clock.systemUTC(), new SecureRandom(), new SimpleMeterRegistry())) {
      Job queued = jobs.submit("test.sum", ctx -> {
        ctx.progress(50, "half");
        ctx.progress(20, "never backwards");
        return Map.of("sum", 42);
      });
      assertEquals(Job.State.queued, queued.state());
      Job done = awaitFinal(jobs, queued.id());
      assertEquals(Job.State.succeeded, done.state());
      assertEquals(100.0, done.percent());
      assertEquals(42, done.result().get("sum").asInt());
      assertNotNull(done.startedAt());
      assertNotNull(done.finishedAt());
    }
  }

  @Test
  void problemBecomesTheJobsErrorAndOtherFailuresAreReferencedNotShown() throws Exception {
    try (Lmdb lmdb = lmdb(); JobRunner jobs = new JobRunner(lmdb, Clock.systemUTC(), new SecureRandom(), new SimpleMeterRegistry())) {
      Job refused = awaitFinal(jobs, jobs.submit("test", ctx -> {
        throw ApiProblem.conflict("the GPU is taken", List.of());
      }).id());
      assertEquals(Job.State.failed, refused.state());
      assertEquals("the GPU is taken", refused.error().detail());
      Job crashed = awaitFinal(jobs, jobs.submit("test", ctx -> {
        throw new IllegalStateException("secret internal detail");
      }).id());
      assertEquals(Job.State.failed, crashed.state());
      assertTrue(crashed.error().detail().contains("log reference"), crashed.error().detail());
    }
  }

  @Test
  void cancelledWorkEndsCancelled() throws Exception {
    try (Lmdb lmdb = lmdb(); JobRunner jobs = new JobRunner(lmdb, Clock.systemUTC(), new SecureRandom(), new SimpleMeterRegistry())) {
      CountDownLatch started = new CountDownLatch(1);
      Job job = jobs.submit("test.loop", ctx -> {
        started.countDown();
        while (true) {
          ctx.checkCancelled();
          Thread.onSpinWait();
        }
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      jobs.cancel(job.id());
      assertEquals(Job.State.cancelled, awaitFinal(jobs, job.id()).state());
    }
  }

  @Test
  void jobsRunningWhenTheSupervisorDiedAreMarkedInterruptedAtTheNextStart() throws Exception {
    String id;
    try (Lmdb lmdb = lmdb()) {
      JobRunner jobs = new JobRunner(lmdb, Clock.systemUTC(), new SecureRandom(), new SimpleMeterRegistry());
      CountDownLatch running = new CountDownLatch(1);
      CountDownLatch never = new CountDownLatch(1);
      id = jobs.submit("test.hang", ctx -> {
        running.countDown();
        never.await();
        return null;
      }).id();
      assertTrue(running.await(10, TimeUnit.SECONDS));
      // No shutdown: as after kill -9, the job's record says running.
      assertEquals(Job.State.running, lmdb.table("jobs", Job.class).get(id).orElseThrow().state());
    }
    try (Lmdb lmdb = lmdb(); JobRunner jobs = new JobRunner(lmdb, Clock.systemUTC(), new SecureRandom(), new SimpleMeterRegistry())) {
      Job job = jobs.find(id).orElseThrow();
      assertEquals(Job.State.failed, job.state());
      assertEquals("urn:powerverse:problem:interrupted", job.error().type());
    }
  }

  @Test
  void listIsNewestFirst() throws Exception {
    try (Lmdb lmdb = lmdb(); JobRunner jobs = new JobRunner(lmdb, Clock.systemUTC(), new SecureRandom(), new SimpleMeterRegistry())) {
      String first = jobs.submit("a", ctx -> null).id();
      Thread.sleep(2); // ULIDs order by millisecond
      String second = jobs.submit("b", ctx -> null).id();
      awaitFinal(jobs, first);
      awaitFinal(jobs, second);
      assertEquals(List.of(second, first), jobs.list(10).stream().map(Job::id).toList());
    }
  }
}
