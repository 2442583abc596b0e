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
import org.powerverse.hypervisor.VmService;
import org.libvirt.LibvirtException;
import java.nio.file.Files;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private volatile VmManager vms;
  private volatile VmReconciler reconciler;
  private volatile ScheduledExecutorService reconcileLoop;
  private static final Logger LOG = LoggerFactory.getLogger(DefaultHypervisorSubsystem.class);

  private final org.powerverse.hypervisor.VmsConfig vmsConfig;

  public DefaultHypervisorSubsystem(HypervisorConfig config) {
    this(config, new org.powerverse.hypervisor.VmsConfig(null, null, null, null));
  }

  public DefaultHypervisorSubsystem(HypervisorConfig config, org.powerverse.hypervisor.VmsConfig vmsConfig) {
    this.config = config;
    this.vmsConfig = java.util.Objects.requireNonNull(vmsConfig, "vmsConfig");
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
    VmRoutes.mount(routes, this::vms);
    routes.handleBlocking("listGpus", request -> {
      VmManager manager = vms;
      List<?> gpus = manager != null ? manager.gpus()
          : inventory().gpus().stream().map(gpu -> java.util.Map.of("gpu", gpu)).toList();
      return ApiResponse.ok(java.util.Map.of("items", gpus));
    });
  }

  @Override
  public Future<Void> start(SubsystemContext context) {
    this.context = context;
    this.health = Health.starting(context.clock().instant());
    return Blocking.call(context.vertx(), () -> {
      HostInventoryReader reader =
          new HostInventoryReader(HostPaths.of(config), Path.of(config.pciIdsPath()), context.clock());
      inventory = new Memo<>(reader::read, Duration.ofSeconds(config.inventoryCacheSeconds()), context.clock());
      List<String> tables = new java.util.ArrayList<>(List.of(BENCHMARKS));
      tables.addAll(VmStore.TABLES);
      lmdb = Lmdb.open(context.dataDir().resolve("lmdb"), LMDB_MAP_BYTES, tables);
      benchmarks = lmdb.table(BENCHMARKS, BenchmarkResult.class);
      if (config.enabled()) {
        libvirt = new LibvirtMonitor(config.libvirtUri(), Duration.ofSeconds(config.reconnectMaxSeconds()),
            context.clock());
        startVms(context, libvirt);
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
      if (reconcileLoop != null) {
        reconcileLoop.shutdownNow();
        reconcileLoop.awaitTermination(30, TimeUnit.SECONDS);
      }
      if (reconciler != null) {
        reconciler.releasePool();
      }
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
  public VmService vms() {
    requireStarted();
    VmManager manager = vms;
    if (manager == null) {
      throw ApiProblem.unavailable("VMs are disabled on this node (hypervisor.enabled: false)");
    }
    return manager;
  }

  /**
   * The VM lifecycle: desired state in this subsystem's LMDB, storage under {@code vms/} and
   * {@code images/}, and the reconciler, run on every (re)connection, on every domain lifecycle
   * event and every {@code hypervisor.vms.reconcileSeconds}, one run at a time on its own thread.
   */
  private void startVms(SubsystemContext ctx, LibvirtMonitor monitor) throws java.io.IOException {
    // QEMU runs as libvirt-qemu and must traverse every directory above the files libvirt labels
    // for it (disks, seed ISO, kernel, serial log). The supervisor makes the node's data directory
    // 0700; execute (search) alone for others lets QEMU through without listing anything, and the
    // secrets inside stay 0600.
    for (java.nio.file.Path dir : List.of(ctx.dataDir().getParent(), ctx.dataDir())) {
      java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
      mode.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
      mode.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(dir, mode);
    }
    VmStorage storage = new VmStorage(ctx.dataDir().resolve("vms"), ctx.dataDir().resolve("images"));
    storage.prepare();
    VmStore store = new VmStore(lmdb);
    String owner = "node-" + VmStorage.shortHash(ctx.dataDir().toAbsolutePath().toString());
    reconciler = new VmReconciler(store, storage, monitor::connection,
        () -> new VmReconciler.HostFacts(inventory.get().kvm().usable()), new VfioBinder(HostPaths.of(config).sys(), inventory::get),
        owner, ctx.clock());
    vms = new VmManager(store, storage, reconciler, ctx.jobs(), ctx.clock(), ctx.random(), () -> {
      if (vmsConfig.memoryCapacityMiB() != null) {
        return vmsConfig.memoryCapacityMiB();
      }
      return Math.max(0, inventory.get().memory().totalBytes() / (1 << 20) - vmsConfig.reservedMemoryMiB());
    }, inventory::get, vmsConfig.shutdownTimeoutSeconds());
    ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "vm-reconciler");
      thread.setDaemon(true);
      return thread;
    });
    reconcileLoop = loop;
    VmReconciler r = reconciler;
    loop.scheduleWithFixedDelay(r::convergeAll, vmsConfig.reconcileSeconds(), vmsConfig.reconcileSeconds(),
        TimeUnit.SECONDS);
    monitor.onConnect(connection -> {
      try {
        connection.addLifecycleListener((domain, event) -> {
          try {
            String name = domain.getName();
            loop.execute(() -> {
              try {
                r.converge(name);
              } catch (Exception e) {
                LOG.atDebug().addKeyValue("vm", name).addKeyValue("error", e.getMessage()).log("converge after event");
              }
            });
          } catch (LibvirtException | java.util.concurrent.RejectedExecutionException e) {
            LOG.atDebug().setCause(e).log("lifecycle event not handled");
          }
          return 0;
        });
      } catch (LibvirtException e) {
        LOG.atWarn().addKeyValue("error", e.getMessage()).log("no libvirt lifecycle events; the periodic reconcile remains");
      }
      loop.execute(r::convergeAll);
    });
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
