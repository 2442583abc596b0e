package org.powerverse.appliance.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.Version;
import org.powerverse.appliance.internal.api.ApiRouter;
import org.powerverse.appliance.internal.api.ContractAssembler;
import org.powerverse.appliance.internal.api.Idempotency;
import org.powerverse.appliance.internal.api.RouteBindings;
import org.powerverse.appliance.internal.api.TokenStore;
import org.powerverse.appliance.internal.identity.IdentityException;
import org.powerverse.appliance.internal.identity.LocalIdentity;
import org.powerverse.appliance.internal.identity.NodeKeys;
import org.powerverse.appliance.internal.identity.SecretFiles;
import org.powerverse.appliance.internal.jobs.JobRunner;
import org.powerverse.appliance.internal.provider.OfferSource;
import org.powerverse.appliance.internal.provider.ScoreCalculator;
import org.powerverse.appliance.internal.system.BootTrial;
import org.powerverse.appliance.internal.system.SystemRoutes;
import org.powerverse.appliance.internal.system.SystemSlots;
import org.powerverse.cdn.Cdn;
import org.powerverse.cdn.CdnStats;
import org.powerverse.chain.ChainSubsystems;
import org.powerverse.geo.GeoSubsystem;
import org.powerverse.geo.GeoSubsystems;
import org.powerverse.hypervisor.GpuCatalog;
import org.powerverse.hypervisor.HostService;
import org.powerverse.hypervisor.Hypervisor;
import org.powerverse.hypervisor.HypervisorSubsystem;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.Health;
import org.powerverse.platform.Lmdb;
import org.powerverse.platform.Subsystem;
import org.powerverse.platform.SubsystemContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running node: identity, storage, the API server and the subsystems, started in that order
 * and stopped in reverse. The API listens before the subsystems finish starting, so /healthz answers
 * at once and /readyz says what is still coming up.
 */
public final class Supervisor implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
  static final long APPLIANCE_LMDB_BYTES = 1L << 30;
  /** SIGTERM must end within 10 s; this is what the whole shutdown may take. */
  static final Duration SHUTDOWN_BUDGET = Duration.ofMillis(9_500);
  /** How often the node's offer (free capacity, score) is recomputed for edge-geo. */
  static final Duration OFFER_REFRESH = Duration.ofSeconds(30);

  /** What a supervisor is started with. */
  public record Options(Path dataDir, NodeConfig config, Clock clock, SecureRandom random) {
    public Options {
      Objects.requireNonNull(dataDir, "dataDir");
      Objects.requireNonNull(config, "config");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(random, "random");
    }
  }

  private final Options options;
  private final Instant startedAt;
  private final LocalIdentity identity;
  private final String adminTokenFile;
  private final Lmdb lmdb;
  private final PrometheusMeterRegistry metrics;
  private final Vertx vertx;
  private final JobRunner jobs;
  private final HypervisorSubsystem hypervisor;
  private final Cdn.CdnSubsystemHandle cdn;
  private final OfferSource offers;
  private long offerTimer = -1;
  private final Map<String, Running> subsystems = new LinkedHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private HttpServer server;
  private long pruneTimer = -1;
  private final SystemSlots systemSlots;
  private BootTrial bootTrial;

  /** A subsystem and, if its start failed outright, why. */
  private static final class Running {
    final Subsystem subsystem;
    volatile Health failure;

    Running(Subsystem subsystem) {
      this.subsystem = subsystem;
    }

    Health health() {
      return failure != null ? failure : subsystem.health();
    }
  }

  private Supervisor(Options options) throws IdentityException, IOException {
    this.options = options;
    this.startedAt = options.clock().instant();
    NodeConfig config = options.config();
    SecretFiles.ensureDirectory(options.dataDir());
    this.identity = NodeKeys.loadOrCreate(options.dataDir().resolve("keys"), config.node().chainId(),
        options.clock(), options.random());
    String adminToken = AdminToken.loadOrCreate(options.dataDir(), config.api().adminToken(), options.random());
    this.adminTokenFile = config.api().adminToken() != null ? null
        : options.dataDir().resolve(AdminToken.FILE).toString();
    this.lmdb = Lmdb.open(options.dataDir().resolve("appliance/lmdb"), APPLIANCE_LMDB_BYTES,
        List.of("tokens", "jobs", "idempotency"));
    this.metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);
    new UptimeMetrics().bindTo(metrics);
    this.vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setDisabledMetricsCategories(Set.of("EVENT_BUS", "DATAGRAM_SOCKET", "VERTICLES"))))
        .withMetrics(new MicrometerMetricsFactory(metrics))
        .build();
    this.jobs = new JobRunner(lmdb, options.clock(), options.random(), metrics);
    this.systemSlots = new SystemSlots(config.system(), Version.get());
    this.hypervisor = Hypervisor.subsystem(config.hypervisor(), config.vms());
    // A disabled part is not run at all (so it cannot hold /readyz back); the hypervisor always
    // runs, since its inventory and score are read without libvirt too.
    this.cdn = config.cdn().enabled() ? Cdn.subsystem(config.cdn()) : null;
    this.offers = new OfferSource(this::hostIfStarted, this::cacheStatsIfStarted,
        new ScoreCalculator(config.provider().score(), GpuCatalog.builtIn()), GpuCatalog.builtIn(), options.clock());
    GeoSubsystem geo = GeoSubsystems.create(config.geo(), offers);
    List<Subsystem> parts = new ArrayList<>();
    parts.add(hypervisor);
    if (cdn != null) {
      parts.add(cdn);
    }
    parts.add(geo);
    if (config.chain().enabled()) {
      parts.add(ChainSubsystems.create(config.chain()));
    }
    for (Subsystem subsystem : parts) {
      subsystems.put(subsystem.name(), new Running(subsystem));
      Gauge.builder("powerverse_subsystem_ready", subsystems.get(subsystem.name()), r -> r.health().isReady() ? 1 : 0)
          .tag("subsystem", subsystem.name()).description("1 when the subsystem is ready").register(metrics);
    }
  }

  private static void warmUpTls() {
    try {
      Class.forName("io.netty.handler.ssl.JdkSslServerContext", true, Supervisor.class.getClassLoader());
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.atDebug().setCause(e).log("TLS warm-up skipped; the first handshake initialises it");
    }
  }

  /** Starts a node and returns once its API listens. */
  public static Supervisor start(Options options) throws Exception {
    Supervisor supervisor = new Supervisor(options);
    try {
      supervisor.listen();
      supervisor.refreshOffersPeriodically();
      return supervisor;
    } catch (Exception | Error e) {
      supervisor.close();
      throw e;
    }
  }

  private void listen() throws Exception {
    // Netty's JDK TLS server context initialises itself on the first handshake (it builds a test
    // RSA key through Bouncy Castle to probe trust-manager wrapping): a tenth of a cold start that
    // the first client would wait for. Done now, on a spare thread, beside the contract parse.
    Thread.ofPlatform().daemon().name("tls-warm-up").start(Supervisor::warmUpTls);
    NodeConfig config = options.config();
    TokenStore tokens = new TokenStore(lmdb, AdminToken.loadOrCreate(options.dataDir(), config.api().adminToken(),
        options.random()), options.clock(), options.random());
    Idempotency idempotency = new Idempotency(lmdb, options.clock());
    ContractAssembler contract = ContractAssembler.fromBase(getClass().getClassLoader(),
        "org/powerverse/appliance/openapi.yaml");
    RouteBindings bindings = new RouteBindings();
    ScoreCalculator score = new ScoreCalculator(config.provider().score(), GpuCatalog.builtIn());
    for (Running running : subsystems.values()) {
      Subsystem subsystem = running.subsystem;
      subsystem.openApiResource().ifPresent(resource ->
          contract.add(subsystem.name(), subsystem.getClass().getClassLoader(), resource));
      subsystem.mount(bindings.forOwner(subsystem.name()));
    }
    Buffer served = Buffer.buffer(contract.served().encode());
    ApplianceRoutes.mount(bindings.forOwner("appliance"), new ApplianceRoutes.Node() {
      @Override
      public LocalIdentity identity() {
        return identity;
      }

      @Override
      public String name() {
        return nodeName();
      }

      @Override
      public Instant startedAt() {
        return startedAt;
      }

      @Override
      public Map<String, Health> health() {
        return Supervisor.this.health();
      }

      @Override
      public Buffer openApi() {
        return served;
      }

      @Override
      public String metrics() {
        return metrics.scrape();
      }

      @Override
      public HostService host() {
        try {
          return hypervisor.host();
        } catch (IllegalStateException e) {
          throw ApiProblem.unavailable("the host inventory is still starting");
        }
      }

      @Override
      public Clock clock() {
        return options.clock();
      }
    }, tokens, jobs, score);
    SystemRoutes.mount(bindings.forOwner("appliance"), systemSlots, jobs, config.system().rebootCommand());
    // Routes are bound: the subsystems start now (on their own threads and event loops), while
    // this thread parses the contract and binds the port; none of it can be reached before then.
    startSubsystems();
    OpenAPIContract validation = await(ContractAssembler.contract(vertx, contract.forValidation()));
    ApiRouter router = new ApiRouter(vertx, tokens, idempotency, config.api().maxBodyBytes(),
        config.api().metricsRequireAuth());
    HttpServerOptions serverOptions = new HttpServerOptions()
        .setHost(config.api().bindAddress())
        .setPort(config.api().port())
        .setSsl(true)
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(Set.of("TLSv1.2", "TLSv1.3"))
        .setKeyCertOptions(new PemKeyCertOptions()
            .setKeyPath(identity.tlsKeyFile().toString())
            .setCertPath(identity.tlsCertFile().toString()));
    server = await(vertx.createHttpServer(serverOptions)
        .requestHandler(router.build(contract.served(), validation, bindings))
        .listen());
    bootTrial = new BootTrial(vertx, systemSlots,
        () -> subsystems.values().stream().allMatch(r -> r.health().isReady()), options.clock(),
        Duration.ofSeconds(config.system().trialTimeoutSeconds()), config.system().rebootCommand());
    bootTrial.start();
    pruneTimer = vertx.setPeriodic(Duration.ofHours(1).toMillis(), id ->
        Blocking.call(vertx, idempotency::prune));
    LOG.atInfo().addKeyValue("port", server.actualPort()).addKeyValue("bind", config.api().bindAddress())
        .addKeyValue("nodeId", identity.nodeId()).addKeyValue("tlsFingerprint", identity.tlsFingerprint())
        .log("api listening");
  }

  private void startSubsystems() throws IOException {
    for (Running running : subsystems.values()) {
      Subsystem subsystem = running.subsystem;
      Path dir = options.dataDir().resolve(subsystem.name());
      SecretFiles.ensureDirectory(dir);
      SubsystemContext context = new SubsystemContext(vertx, dir, options.clock(), options.random(), identity, jobs,
          metrics);
      Future<Void> started;
      try {
        started = subsystem.start(context);
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      started.onSuccess(v -> refreshOffer());
      started.onFailure(e -> {
        running.failure = Health.failed(subsystem.name() + " could not start: " + e.getMessage(),
            options.clock().instant());
        LOG.atError().setCause(e).addKeyValue("subsystem", subsystem.name()).log("subsystem failed to start");
      });
    }
  }

  /**
   * Every {@link #OFFER_REFRESH}, and whenever a subsystem finishes starting: edge-geo re-announces
   * when the offer moved enough.
   */
  private void refreshOffersPeriodically() {
    refreshOffer();
    offerTimer = vertx.setPeriodic(OFFER_REFRESH.toMillis(), id -> refreshOffer());
  }

  /** Recomputes the offer off the event loop. */
  private void refreshOffer() {
    if (closed.get()) {
      return;
    }
    Blocking.call(vertx, () -> {
      try {
        return offers.refresh();
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).log("could not compute the node's offer; announcing the previous one");
        return offers.get();
      }
    });
  }

  private Optional<HostService> hostIfStarted() {
    try {
      return Optional.of(hypervisor.host());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  private Optional<CdnStats> cacheStatsIfStarted() {
    if (cdn == null || !cdn.health().isReady()) {
      return Optional.empty();
    }
    try {
      return Optional.of(cdn.service().stats());
    } catch (IllegalStateException e) {
      return Optional.empty();
    }
  }

  /** Each subsystem's health, by name. */
  public Map<String, Health> health() {
    Map<String, Health> out = new LinkedHashMap<>();
    subsystems.forEach((name, running) -> out.put(name, running.health()));
    return out;
  }

  /** The CDN gateway's port once it listens; empty when the cache is disabled or not listening. */
  public java.util.OptionalInt cdnGatewayPort() {
    int port = cdn == null ? -1 : cdn.gatewayPort();
    return port > 0 ? java.util.OptionalInt.of(port) : java.util.OptionalInt.empty();
  }

  public int apiPort() {
    return server.actualPort();
  }

  public LocalIdentity identity() {
    return identity;
  }

  public String nodeName() {
    if (options.config().node().name() != null) {
      return options.config().node().name();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "node";
    }
  }

  /** Where the generated admin token is, or null when the config sets it. */
  public String adminTokenFile() {
    return adminTokenFile;
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to api.shutdownGraceSeconds),
   * stops jobs and subsystems, closes LMDB and Vert.x; within {@link #SHUTDOWN_BUDGET}. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + SHUTDOWN_BUDGET.toNanos();
    if (bootTrial != null) {
      bootTrial.close();
    }
    if (pruneTimer >= 0) {
      vertx.cancelTimer(pruneTimer);
    }
    if (offerTimer >= 0) {
      vertx.cancelTimer(offerTimer);
    }
    if (server != null) {
      Duration grace = Duration.ofSeconds(options.config().api().shutdownGraceSeconds());
      quietly("api shutdown", () -> await(server.shutdown(grace), remaining(deadline)));
    }
    quietly("jobs", () -> jobs.shutdown(min(Duration.ofSeconds(2), remaining(deadline))));
    List<Future<Void>> stopping = new ArrayList<>();
    for (Running running : subsystems.values()) {
      try {
        stopping.add(running.subsystem.stop());
      } catch (RuntimeException e) {
        LOG.atWarn().setCause(e).addKeyValue("subsystem", running.subsystem.name()).log("subsystem stop failed");
      }
    }
    quietly("subsystems", () -> await(Future.join(stopping).mapEmpty(), remaining(deadline)));
    quietly("lmdb", lmdb::close);
    quietly("vertx", () -> await(vertx.close(), remaining(deadline)));
    LOG.atInfo().log("supervisor stopped");
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void quietly(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.atWarn().setCause(e).addKeyValue("step", what).log("shutdown step did not finish cleanly");
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  static <T> T await(Future<T> future) throws Exception {
    return await(future, Duration.ofSeconds(60));
  }

  static <T> T await(Future<T> future, Duration timeout) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      throw new TimeoutException("timed out after " + timeout.toMillis() + " ms");
    }
  }

  static boolean exists(Path path) {
    return Files.exists(path);
  }
}
