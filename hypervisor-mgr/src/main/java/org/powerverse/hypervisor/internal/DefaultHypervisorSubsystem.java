package org.powerverse.hypervisor.internal;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.powerverse.hypervisor.BenchmarkResult;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.HostPaths;
import org.powerverse.hypervisor.HostService;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.hypervisor.HypervisorSubsystem;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.Health;
import org.powerverse.platform.Job;
import org.powerverse.platform.Lmdb;
import org.powerverse.platform.SubsystemContext;
import org.powerverse.platform.Table;

/**
 * The hypervisor subsystem: the libvirt connection (when enabled), the host inventory and the host
 * benchmark with its results in this subsystem's LMDB environment.
 */
public final class DefaultHypervisorSubsystem implements HypervisorSubsystem, HostService {

  static final long LMDB_MAP_BYTES = 1L << 30;
  static final String BENCHMARKS = "benchmarks";

  private final HypervisorConfig config;
  private final AtomicBoolean benchmarkBusy = new AtomicBoolean();
  private volatile String runningBenchmark;
  private volatile SubsystemContext context;
  private volatile Memo<HostInventory> inventory;
  private volatile LibvirtMonitor libvirt;
  private volatile Lmdb lmdb;
  private volatile Table<BenchmarkResult> benchmarks;
  private volatile Health health;

  public DefaultHypervisorSubsystem(HypervisorConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "hypervisor";
  }

  @Override
  public Optional<String> openApiResource() {
    return Optional.of("org/powerverse/hypervisor/openapi.yaml");
  }

  @Override
  public void mount(ApiRoutes routes) {
    routes.handleBlocking("getHost", request -> ApiResponse.ok(inventory()));
    routes.handleBlocking("startHostBenchmark", request -> ApiResponse.accepted(startBenchmark()));
    routes.handleBlocking("getHostBenchmark", request -> ApiResponse.ok(latestBenchmark().orElseThrow(
        () -> ApiProblem.notFound("no host benchmark has run yet; start one with POST /api/v1/host/benchmark"))));
  }

  @Override
  public Future<Void> start(SubsystemContext context) {
    this.context = context;
    this.health = Health.starting(context.clock().instant());
    return Blocking.call(context.vertx(), () -> {
      HostInventoryReader reader =
          new HostInventoryReader(HostPaths.of(config), Path.of(config.pciIdsPath()), context.clock());
      inventory = new Memo<>(reader::read, Duration.ofSeconds(config.inventoryCacheSeconds()), context.clock());
      lmdb = Lmdb.open(context.dataDir().resolve("lmdb"), LMDB_MAP_BYTES, List.of(BENCHMARKS));
      benchmarks = lmdb.table(BENCHMARKS, BenchmarkResult.class);
      if (config.enabled()) {
        libvirt = new LibvirtMonitor(config.libvirtUri(), Duration.ofSeconds(config.reconnectMaxSeconds()),
            context.clock());
        libvirt.start();
      }
      health = Health.ready(context.clock().instant());
      return null;
    });
  }

  @Override
  public Health health() {
    LibvirtMonitor monitor = libvirt;
    Health own = health;
    if (own == null) {
      return Health.starting(java.time.Instant.EPOCH);
    }
    return monitor == null || !own.isReady() ? own : monitor.health();
  }

  @Override
  public Future<Void> stop() {
    SubsystemContext started = context;
    if (started == null) {
      return Future.succeededFuture();
    }
    return Blocking.call(started.vertx(), () -> {
      if (libvirt != null) {
        libvirt.close();
      }
      if (lmdb != null) {
        lmdb.close();
      }
      health = Health.stopped(started.clock().instant());
      return null;
    });
  }

  @Override
  public HostService host() {
    requireStarted();
    return this;
  }

  @Override
  public HostInventory inventory() {
    requireStarted();
    return inventory.get();
  }

  @Override
  public Job startBenchmark() {
    requireStarted();
    SubsystemContext ctx = context;
    // Two benchmarks at once would measure each other.
    if (!benchmarkBusy.compareAndSet(false, true)) {
      String running = runningBenchmark;
      throw ApiProblem.conflict("a host benchmark is already running"
          + (running == null ? "" : " as job " + running + "; wait for it (GET /api/v1/jobs/" + running + ")"),
          List.of());
    }
    long seed = ctx.random().nextLong();
    try {
      return ctx.jobs().submit("host.benchmark", work -> {
        runningBenchmark = work.jobId();
        try {
          BenchmarkResult result = new HostBenchmark(config.benchmark(), ctx.dataDir(), ctx.clock(), seed).run(work);
          benchmarks.put(result.jobId(), result);
          return result;
        } finally {
          runningBenchmark = null;
          benchmarkBusy.set(false);
        }
      });
    } catch (RuntimeException e) {
      benchmarkBusy.set(false);
      throw e;
    }
  }

  @Override
  public Optional<BenchmarkResult> latestBenchmark() {
    requireStarted();
    return benchmarks.list("", true, 1).stream().findFirst();
  }

  private void requireStarted() {
    if (inventory == null) {
      throw new IllegalStateException("the hypervisor subsystem has not started");
    }
  }
}
