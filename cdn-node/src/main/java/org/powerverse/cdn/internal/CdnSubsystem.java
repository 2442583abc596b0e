package org.powerverse.cdn.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.powerverse.cdn.Cdn;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.cdn.CdnService;
import org.powerverse.cdn.CdnStats;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.Health;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.SubsystemContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cdn} subsystem: opens the blockstore in its data directory, starts the origin
 * fetcher (when upstreams are configured) and the gateway listener, and serves the
 * {@code /api/v1/cdn} operations. A gateway that cannot listen leaves the subsystem degraded,
 * with the API still working on the store.
 */
public final class CdnSubsystem implements Cdn.CdnSubsystemHandle {

  private static final Logger LOG = LoggerFactory.getLogger(CdnSubsystem.class);

  private final CdnConfig config;
  private volatile Clock clock = Clock.systemUTC();
  private volatile Health health;
  private volatile LmdbBlockstore store;
  private volatile OriginFetcher origin;
  private volatile GatewayServer gateway;
  private volatile CdnService service;
  private volatile Jobs jobs;
  private volatile int gatewayPort = -1;

  public CdnSubsystem(CdnConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.health = Health.starting(clock.instant());
  }

  @Override
  public String name() {
    return "cdn";
  }

  @Override
  public Optional<String> openApiResource() {
    return Optional.of("org/powerverse/cdn/openapi.yaml");
  }

  @Override
  public void mount(ApiRoutes routes) {
    CdnApi.mount(routes, config, () -> {
      CdnService current = service;
      if (current == null) {
        throw org.powerverse.platform.ApiProblem.unavailable("the cdn subsystem is not running: " + health.state());
      }
      return current;
    }, () -> {
      Jobs current = jobs;
      if (current == null) {
        throw org.powerverse.platform.ApiProblem.unavailable("the cdn subsystem has not started");
      }
      return current;
    });
  }

  @Override
  public Future<Void> start(SubsystemContext context) {
    clock = context.clock();
    jobs = context.jobs();
    health = Health.starting(clock.instant());
    if (!config.enabled()) {
      health = Health.degraded("disabled (cdn.enabled is false)", clock.instant());
      return Future.succeededFuture();
    }
    return Blocking.call(context.vertx(), () -> LmdbBlockstore.open(context.dataDir().resolve("blocks"), config.maxBytes(), clock))
        .compose(opened -> {
          store = opened;
          origin = config.upstreams().isEmpty() ? null
              : new OriginFetcher(config.upstreamUris(), Duration.ofSeconds(config.originTimeoutSeconds()), opened);
          service = new DefaultCdnService(opened, origin);
          registerMetrics(context.metrics());
          gateway = new GatewayServer(context.vertx(), opened, origin,
              new GatewayServer.Listen(config.gatewayHost(), config.gatewayPort(), config.tlsCertPath(), config.tlsKeyPath()));
          return gateway.start()
              .map(port -> {
                gatewayPort = port;
                health = Health.ready(clock.instant());
                LOG.info("cdn gateway listening on {}:{} ({} upstreams, cache bound {} bytes)",
                    config.gatewayHost(), port, config.upstreams().size(), config.maxBytes());
                return (Void) null;
              })
              .recover(failure -> {
                health = Health.degraded("the gateway cannot listen on " + config.gatewayHost() + ":" + config.gatewayPort()
                    + ": " + failure.getMessage(), clock.instant());
                return Future.succeededFuture();
              });
        });
  }

  private void registerMetrics(MeterRegistry metrics) {
    gauge(metrics, "cdn.bytes.used", "bytes", CdnStats::bytesUsed);
    gauge(metrics, "cdn.bytes.max", "bytes", CdnStats::maxBytes);
    gauge(metrics, "cdn.bytes.pinned", "bytes", CdnStats::pinnedBytes);
    gauge(metrics, "cdn.blocks", null, CdnStats::blocks);
    gauge(metrics, "cdn.lookups.hits", null, CdnStats::hits);
    gauge(metrics, "cdn.lookups.misses", null, CdnStats::misses);
    gauge(metrics, "cdn.evictions", null, CdnStats::evictions);
    gauge(metrics, "cdn.origin.fetches", null, CdnStats::originFetches);
    gauge(metrics, "cdn.origin.failures", null, CdnStats::originFailures);
  }

  private void gauge(MeterRegistry metrics, String name, String unit, ToDoubleFunction<CdnStats> value) {
    Gauge.builder(name, this, subsystem -> {
      CdnService current = subsystem.service;
      return current == null ? Double.NaN : value.applyAsDouble(current.stats());
    }).baseUnit(unit).register(metrics);
  }

  @Override
  public Health health() {
    return health;
  }

  @Override
  public CdnService service() {
    CdnService current = service;
    if (current == null) {
      throw new IllegalStateException("the cdn subsystem has not started");
    }
    return current;
  }

  @Override
  public int gatewayPort() {
    return gatewayPort;
  }

  @Override
  public Future<Void> stop() {
    GatewayServer server = gateway;
    Future<Void> stopped = server == null ? Future.succeededFuture() : server.stop();
    return stopped.eventually(() -> {
      if (origin != null) {
        origin.close();
      }
      if (store != null) {
        store.close();
      }
      service = null;
      gatewayPort = -1;
      health = Health.stopped(clock.instant());
      return Future.succeededFuture();
    });
  }
}
