package org.powerverse.chain.internal;

import io.micrometer.core.instrument.MeterRegistry;
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

/**
 * A subsystem context for the chain node run alone ({@code chain validator}): the chain uses
 * neither the node identity (validators have their own key file) nor jobs, so both refuse.
 */
public final class StandaloneContext {

  private StandaloneContext() {}

  public static SubsystemContext create(Vertx vertx, Path dataDir, Clock clock, SecureRandom random, MeterRegistry metrics) {
    return new SubsystemContext(vertx, dataDir, clock, random, new NodeIdentity() {
      @Override
      public String nodeId() {
        throw unsupported();
      }

      @Override
      public String did() {
        throw unsupported();
      }

      @Override
      public String accountAddress() {
        throw unsupported();
      }

      @Override
      public byte[] ed25519PublicKey() {
        throw unsupported();
      }

      @Override
      public byte[] signEd25519(byte[] message) {
        throw unsupported();
      }

      @Override
      public String tlsFingerprint() {
        throw unsupported();
      }
    }, new Jobs() {
      @Override
      public Job submit(String kind, JobWork work) {
        throw unsupported();
      }

      @Override
      public Optional<Job> find(String id) {
        return Optional.empty();
      }

      @Override
      public List<Job> list(int limit) {
        return List.of();
      }

      @Override
      public Optional<Job> cancel(String id) {
        return Optional.empty();
      }
    }, metrics);
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("the chain node run alone has no node identity or jobs");
  }
}
