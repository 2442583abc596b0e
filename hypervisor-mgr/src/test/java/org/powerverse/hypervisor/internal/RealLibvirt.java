package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.powerverse.platform.Lmdb;

/**
 * The real parts the VM lifecycle tests need: libvirtd at qemu:///system (started by
 * scripts/setup/libvirt.sh) and the offline test guest (src/test/guest/build-guest.sh), plus a
 * fresh data directory under target/ wired like the subsystem wires it. Domains are type qemu
 * (TCG): the CI machines' /dev/kvm (kvm_pvm) cannot run ordinary guests.
 */
final class RealLibvirt implements AutoCloseable {
  static final String URI = "qemu:///system";
  static final String MARKER = "POWERVERSE-GUEST-UP";
  static final String KERNEL = "guest-kernel";
  static final String INITRD = "guest-initrd";

  final Path dataDir;
  final Connect connection;
  final Lmdb lmdb;
  final VmStore store;
  final VmStorage storage;
  final VmReconciler reconciler;
  final VmManager manager;
  final InlineJobs jobs = new InlineJobs();
  final String owner;

  private RealLibvirt(Path dataDir, Connect connection, long capacityMiB) throws IOException {
    this(dataDir, connection, capacityMiB, () -> new VmReconciler.HostFacts(false));
  }

  /** {@code host} is asked right before each define: CrashChild blocks there to be killed. */
  RealLibvirt(Path dataDir, Connect connection, long capacityMiB,
      java.util.function.Supplier<VmReconciler.HostFacts> host) throws IOException {
    this.dataDir = dataDir;
    this.connection = connection;
    this.lmdb = Lmdb.open(dataDir.resolve("lmdb"), 64L << 20, VmStore.TABLES);
    this.store = new VmStore(lmdb);
    this.storage = new VmStorage(dataDir.resolve("vms"), dataDir.resolve("images"));
    storage.prepare();
    this.owner = "node-" + VmStorage.shortHash(dataDir.toAbsolutePath().toString());
    GpuBinder noGpus = new GpuBinder() {
      @Override
      public void bind(String address) {
        throw new IllegalStateException("no GPU on the test machine: " + address);
      }

      @Override
      public void release(String address) {
        throw new IllegalStateException("no GPU on the test machine: " + address);
      }
    };
    this.reconciler = new VmReconciler(store, storage, () -> Optional.of(connection),
        host, noGpus, owner, Clock.systemUTC());
    this.manager = new VmManager(store, storage, reconciler, jobs, Clock.systemUTC(), new SecureRandom(),
        () -> capacityMiB, () -> {
          throw new IllegalStateException("no inventory in these tests");
        }, 60);
  }

  /** Skips (saying why) only when libvirtd does not answer; a missing guest is a failure. */
  static RealLibvirt open(String test, long capacityMiB) throws Exception {
    Connect connection = connect();
    Path dataDir = newDataDir(test);
    RealLibvirt real = new RealLibvirt(dataDir, connection, capacityMiB);
    Path guest = guest();
    Files.copy(guest.resolve("vmlinuz"), real.storage.imagesDir().resolve(KERNEL));
    Files.copy(guest.resolve("initrd.gz"), real.storage.imagesDir().resolve(INITRD));
    return real;
  }

  /** The same node again on an existing data directory: what a restarted supervisor sees. */
  static RealLibvirt reopen(Path dataDir, long capacityMiB) throws Exception {
    return new RealLibvirt(dataDir, connect(), capacityMiB);
  }

  static Path newDataDir(String test) throws IOException {
    Path base = Files.createDirectories(Path.of("target", "vm-it").toAbsolutePath());
    Path dataDir = Files.createDirectories(base.resolve(test + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4))));
    for (Path dir : List.of(base, dataDir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }
    return dataDir;
  }

  static Connect connect() throws Exception {
    Connect connection;
    try {
      LibvirtErrors.silence();
      connection = new Connect(URI);
    } catch (LibvirtException | UnsatisfiedLinkError e) {
      assumeTrue(false, "libvirtd is not reachable at " + URI + " (" + e.getMessage()
          + "); as root, scripts/setup/libvirt.sh installs and starts it");
      throw new AssertionError("unreachable");
    }
    return connection;
  }

  /** Builds (or reuses) the offline test guest; its output goes to a log file, never to stdout. */
  static synchronized Path guest() throws Exception {
    Path script = Path.of("src/test/guest/build-guest.sh").toAbsolutePath();
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "powerverse", "guest");
    Path log = Files.createDirectories(Path.of("target")).resolve("build-guest.log");
    Process build = new ProcessBuilder(script.toString(), cache.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
      fail("build-guest.sh failed (it needs apt lists: apt-get update): " + Files.readString(log));
    }
    return cache;
  }

  /** Waits (polling the serial log, bounded) for the guest's marker; fails with the log's tail. */
  static void awaitMarker(Path serialLog, int occurrences) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String text = "";
    while (System.nanoTime() < deadline) {
      text = Files.exists(serialLog) ? Files.readString(serialLog, StandardCharsets.ISO_8859_1) : "";
      if (count(text, MARKER) >= occurrences) {
        return;
      }
      Thread.sleep(100);
    }
    fail("no " + MARKER + " (x" + occurrences + ") in " + serialLog + " after 90 s; tail: "
        + text.substring(Math.max(0, text.length() - 2000)));
  }

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  /** Names of files in the pool directory belonging to {@code vm}. */
  List<String> poolFiles(String vm) throws IOException {
    try (var files = Files.list(storage.poolDir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(vm + "-")).sorted().toList();
    }
  }

  boolean domainExists(String vm) throws LibvirtException {
    return Libvirt.domain(connection, vm).isPresent();
  }

  /** Removes whatever a test left in libvirt (even on failure): our domains and the pool. */
  @Override
  public void close() throws Exception {
    for (VmRecord record : store.all()) {
      store.putIfPresent(record.withDesired(org.powerverse.hypervisor.Vm.PowerState.deleted));
    }
    reconciler.convergeAll();
    Libvirt.pool(connection, storage.poolName()).ifPresent(pool -> {
      try {
        pool.destroy();
      } catch (LibvirtException e) {
        // already gone
      }
    });
    lmdb.close();
    connection.close();
  }

  static void assertGone(RealLibvirt real, String vm) throws Exception {
    assertEquals(false, real.domainExists(vm), "domain " + vm + " still defined");
    assertEquals(List.of(), real.poolFiles(vm), "volumes or seed ISO of " + vm + " left in the pool");
    assertEquals(Optional.empty(), real.store.find(vm), "record of " + vm + " left");
    assertEquals(List.of(), real.store.claimsOf(vm), "claims of " + vm + " left");
  }
}
