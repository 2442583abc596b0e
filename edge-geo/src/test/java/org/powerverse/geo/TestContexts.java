package org.powerverse.geo;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.powerverse.platform.Job;
import org.powerverse.platform.JobWork;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.NodeIdentity;
import org.powerverse.platform.SubsystemContext;

/** Subsystem contexts for tests: edge-geo submits no jobs, so a Jobs that refuses is enough. */
public final class TestContexts {

  private TestContexts() {}

  public static SubsystemContext of(Vertx vertx, Path dataDir, Clock clock, NodeIdentity identity) {
    Jobs noJobs = new Jobs() {
      public Job submit(String kind, JobWork work) { throw new UnsupportedOperationException("geo submits no jobs"); }
      public Optional<Job> find(String id) { return Optional.empty(); }
      public List<Job> list(int limit) { return List.of(); }
      public Optional<Job> cancel(String id) { return Optional.empty(); }
    };
    return new SubsystemContext(vertx, dataDir, clock, new SecureRandom(), identity, noJobs, new SimpleMeterRegistry());
  }
}
