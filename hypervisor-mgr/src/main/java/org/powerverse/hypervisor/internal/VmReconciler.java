package org.powerverse.hypervisor.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.powerverse.hypervisor.Vm;
import org.powerverse.platform.ApiProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converges libvirt to the desired state in {@link VmStore} (STYLE.md §5): level-triggered (it
 * looks at the record and the domain as they are, not at what happened last), idempotent, so it
 * can run on start, on every lifecycle event, periodically and after each API change, and a crash
 * at any line is repaired by the next run. One VM is converged by one thread at a time.
 */
final class VmReconciler {

  private static final Logger LOG = LoggerFactory.getLogger(VmReconciler.class);
  static final Path OVMF_CODE = Path.of("/usr/share/OVMF/OVMF_CODE.fd");

  /** What the domain XML depends on besides the spec: decided by the host. */
  record HostFacts(boolean kvmUsable) {}

  private final VmStore store;
  private final VmStorage storage;
  private final Supplier<Optional<Connect>> connection;
  private final Supplier<HostFacts> host;
  private final GpuBinder gpus;
  private final String owner;
  private final Clock clock;
  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  VmReconciler(VmStore store, VmStorage storage, Supplier<Optional<Connect>> connection, Supplier<HostFacts> host,
      GpuBinder gpus, String owner, Clock clock) {
    this.store = store;
    this.storage = storage;
    this.connection = connection;
    this.host = host;
    this.gpus = gpus;
    this.owner = owner;
    this.clock = clock;
  }

  String owner() {
    return owner;
  }

  Connect connect() {
    return connection.get().orElseThrow(() -> ApiProblem.unavailable("libvirt is not connected; see /readyz"));
  }

  /** Runs {@code work} holding the VM's lock, so converging and actions on one VM never interleave. */
  <T> T locked(String name, LockedWork<T> work) throws Exception {
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    lock.lock();
    try {
      return work.run();
    } finally {
      lock.unlock();
    }
  }

  interface LockedWork<T> {
    T run() throws Exception;
  }

  /** Converges one VM; failures are recorded on it (lastError) and rethrown. */
  void converge(String name) throws Exception {
    locked(name, () -> {
      convergeLocked(name);
      return null;
    });
  }

  /** Must hold the VM's lock. */
  void convergeLocked(String name) throws Exception {
    Connect c = connect();
    Optional<VmRecord> found = store.find(name);
    if (found.isEmpty()) {
      removeIfOurs(c, name);
      return;
    }
    VmRecord record = found.get();
    if (record.desired() == Vm.PowerState.deleted) {
      teardown(c, name);
      store.remove(name);
      return;
    }
    try {
      Domain domain = materialise(c, record);
      power(domain, record);
      if (record.lastError() != null) {
        store.putIfPresent(record.withLastError(null));
      }
    } catch (LibvirtException | IOException | RuntimeException e) {
      store.putIfPresent(record.withLastError(e.getMessage()));
      throw e;
    }
  }

  /** Volumes, seed ISO, GPU binding and the domain definition, each only if missing (or stale while off). */
  private Domain materialise(Connect c, VmRecord record) throws LibvirtException, IOException {
    String name = record.name();
    StoragePool pool = storage.pool(c);
    List<Path> disks = storage.ensureDisks(pool, record.spec());
    Path seed = storage.ensureSeedIso(pool, record.spec(), record.uuid());
    for (GpuClaimRecord claim : store.claimsOf(name)) {
      if (!claim.bound()) {
        gpus.bind(claim.address());
        store.putClaim(claim.withBound(true));
      }
    }
    Optional<Domain> existing = Libvirt.domain(c, name);
    if (existing.isPresent() && !Libvirt.owner(existing.get()).filter(owner::equals).isPresent()) {
      throw new IllegalStateException("a domain named '" + name + "' exists that this node does not manage");
    }
    if (existing.isPresent() && existing.get().isActive() == 1) {
      return existing.get();
    }
    // Off or absent: (re)define, so a resize or a changed host (KVM) applies at this boot.
    Path kernel = record.spec().boot() == null ? null : storage.image(record.spec().boot().kernel(), "boot.kernel");
    Path initrd = record.spec().boot() == null || record.spec().boot().initrd() == null ? null
        : storage.image(record.spec().boot().initrd(), "boot.initrd");
    DomainXml.Placement at = new DomainXml.Placement(record.uuid(), disks, seed, storage.serialLog(name), kernel,
        initrd, owner);
    String xml = DomainXml.of(record.spec(), at, host.get().kvmUsable(), true, OVMF_CODE);
    Domain domain = c.domainDefineXML(xml);
    if (record.pendingConfig()) {
      store.putIfPresent(record.withPendingConfig(false));
    }
    return domain;
  }

  private void power(Domain domain, VmRecord record) throws LibvirtException {
    DomainState state = domain.getInfo().state;
    boolean off = state == DomainState.VIR_DOMAIN_SHUTOFF || state == DomainState.VIR_DOMAIN_CRASHED
        || state == DomainState.VIR_DOMAIN_NOSTATE;
    switch (record.desired()) {
      case running -> {
        if (off) {
          domain.create();
        } else if (state == DomainState.VIR_DOMAIN_PAUSED) {
          domain.resume();
        }
      }
      case paused -> {
        if (off) {
          domain.create(1); // VIR_DOMAIN_START_PAUSED
        } else if (state != DomainState.VIR_DOMAIN_PAUSED) {
          domain.suspend();
        }
      }
      case stopped -> {
        // A graceful shutdown is under way: give the guest until its deadline.
        boolean waiting = record.shutdownDeadline() != null && clock.instant().isBefore(record.shutdownDeadline());
        if (!off && !waiting) {
          domain.destroy();
        }
      }
      case deleted -> throw new IllegalStateException("deleted VMs are torn down, not powered");
    }
  }

  /** Destroys and undefines the domain (only if ours), deletes volumes, seed ISO and log, releases GPUs. */
  void teardown(Connect c, String name) throws LibvirtException, IOException {
    removeIfOurs(c, name);
    storage.deleteAll(storage.pool(c), name);
    for (GpuClaimRecord claim : store.claimsOf(name)) {
      gpus.release(claim.address());
    }
  }

  private void removeIfOurs(Connect c, String name) throws LibvirtException {
    Optional<Domain> domain = Libvirt.domain(c, name);
    if (domain.isEmpty() || Libvirt.owner(domain.get()).filter(owner::equals).isEmpty()) {
      return;
    }
    try {
      if (domain.get().isActive() == 1) {
        domain.get().destroy();
      }
      domain.get().undefine(Libvirt.UNDEFINE_ALL);
    } catch (LibvirtException e) {
      if (!Libvirt.isNotFound(e)) {
        throw e;
      }
    }
  }

  /**
   * Converges every recorded VM and removes what no record explains: our domains and pool
   * volumes without a record (left by a crash between libvirt calls and the record's removal).
   * Returns how many VMs failed to converge.
   */
  int convergeAll() {
    Connect c;
    try {
      c = connect();
    } catch (ApiProblem e) {
      return 0;
    }
    int failed = 0;
    Set<String> recorded = new HashSet<>();
    for (VmRecord record : store.all()) {
      recorded.add(record.name());
      try {
        converge(record.name());
      } catch (Exception e) {
        failed++;
        LOG.atWarn().addKeyValue("vm", record.name()).addKeyValue("error", e.getMessage()).log("cannot converge VM");
      }
    }
    try {
      Set<String> orphans = new HashSet<>();
      for (Domain domain : c.listAllDomains(0)) {
        if (Libvirt.owner(domain).filter(owner::equals).isPresent() && !recorded.contains(domain.getName())) {
          orphans.add(domain.getName());
        }
      }
      for (String volumeOwner : storage.volumeOwners(storage.pool(c))) {
        if (!recorded.contains(volumeOwner)) {
          orphans.add(volumeOwner);
        }
      }
      for (String orphan : orphans) {
        locked(orphan, () -> {
          if (store.find(orphan).isEmpty()) {
            LOG.atInfo().addKeyValue("vm", orphan).log("removing a VM's leftovers that no record explains");
            teardown(c, orphan);
          }
          return null;
        });
      }
    } catch (Exception e) {
      failed++;
      LOG.atWarn().addKeyValue("error", e.getMessage()).log("cannot look for orphan domains and volumes");
    }
    return failed;
  }

  /**
   * Stops the transient storage pool (the subsystem is stopping): libvirt keeps no pool pointing at
   * a data directory that may go away; the next start creates it again. Volumes stay on disk.
   */
  void releasePool() {
    connection.get().ifPresent(c -> {
      try {
        Optional<StoragePool> pool = Libvirt.pool(c, storage.poolName());
        if (pool.isPresent() && pool.get().isActive() == 1) {
          pool.get().destroy();
        }
      } catch (LibvirtException e) {
        LOG.atDebug().addKeyValue("error", e.getMessage()).log("cannot stop the storage pool");
      }
    });
  }

  /** libvirt's state of the VM's domain; absent when none is defined, unknown without libvirt. */
  Vm.State state(String name) {
    Optional<Connect> c = connection.get();
    if (c.isEmpty()) {
      return Vm.State.unknown;
    }
    try {
      Optional<Domain> domain = Libvirt.domain(c.get(), name);
      if (domain.isEmpty()) {
        return Vm.State.absent;
      }
      return switch (domain.get().getInfo().state) {
        case VIR_DOMAIN_RUNNING -> Vm.State.running;
        case VIR_DOMAIN_BLOCKED -> Vm.State.blocked;
        case VIR_DOMAIN_PAUSED -> Vm.State.paused;
        case VIR_DOMAIN_SHUTDOWN -> Vm.State.shutdown;
        case VIR_DOMAIN_SHUTOFF -> Vm.State.shutoff;
        case VIR_DOMAIN_CRASHED -> Vm.State.crashed;
        case VIR_DOMAIN_PMSUSPENDED -> Vm.State.pmsuspended;
        default -> Vm.State.unknown;
      };
    } catch (LibvirtException e) {
      return Vm.State.unknown;
    }
  }
}
