package org.powerverse.hypervisor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.powerverse.hypervisor.HostInventory;
import org.powerverse.hypervisor.Vm;
import org.powerverse.hypervisor.VmService;
import org.powerverse.hypervisor.VmSpec;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.InvalidValueException;
import org.powerverse.platform.Job;
import org.powerverse.platform.Jobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM lifecycle behind {@code /api/v1/vms}: each request writes the desired state first (with
 * admission in the same LMDB transaction), then asks the reconciler to converge libvirt to it. A
 * create that fails is rolled back: the domain, volumes, seed ISO, GPU binding and the record.
 */
final class VmManager implements VmService {

  private static final Logger LOG = LoggerFactory.getLogger(VmManager.class);

  private final VmStore store;
  private final VmStorage storage;
  private final VmReconciler reconciler;
  private final Jobs jobs;
  private final Clock clock;
  private final RandomGenerator random;
  private final LongSupplier capacityMiB;
  private final java.util.function.Supplier<HostInventory> inventory;
  private final int defaultShutdownSeconds;

  VmManager(VmStore store, VmStorage storage, VmReconciler reconciler, Jobs jobs, Clock clock, RandomGenerator random,
      LongSupplier capacityMiB, java.util.function.Supplier<HostInventory> inventory, int defaultShutdownSeconds) {
    this.store = store;
    this.storage = storage;
    this.reconciler = reconciler;
    this.jobs = jobs;
    this.clock = clock;
    this.random = random;
    this.capacityMiB = capacityMiB;
    this.inventory = inventory;
    this.defaultShutdownSeconds = defaultShutdownSeconds;
  }

  @Override
  public Job create(VmSpec spec) {
    Connect c = reconciler.connect();
    checkImages(spec);
    checkGpus(spec);
    try {
      Optional<Domain> existing = Libvirt.domain(c, spec.name());
      if (existing.isPresent() && Libvirt.owner(existing.get()).filter(reconciler.owner()::equals).isEmpty()) {
        throw ApiProblem.conflict("libvirt has a domain named '" + spec.name() + "' that this node does not manage",
            List.of(FieldError.body("name", "is taken by a domain this node does not manage")));
      }
    } catch (LibvirtException e) {
      throw hypervisorFailed("looking up domain " + spec.name(), e);
    }
    UUID uuid = uuid4(new UUID(random.nextLong(), random.nextLong()));
    VmRecord record = new VmRecord(spec, uuid, Vm.PowerState.running, 1, clock.instant(), null, false, null);
    store.admit(record, capacityMiB.getAsLong());
    String name = spec.name();
    return jobs.submit("vm.create", work -> reconciler.locked(name, () -> {
      work.progress(10, "creating volumes and domain");
      try {
        reconciler.convergeLocked(name);
      } catch (Exception e) {
        rollback(name, e);
        if (e instanceof ApiProblem problem) {
          throw problem;
        }
        throw hypervisorFailed("creating VM " + name + " (rolled back)", e);
      }
      return view(store.find(name).orElseThrow(() -> VmStore.notFound(name)));
    }));
  }

  /** Undoes a failed create: everything of the VM goes, then its record and claims. Must hold its lock. */
  private void rollback(String name, Exception cause) {
    LOG.atWarn().addKeyValue("vm", name).addKeyValue("error", cause.getMessage()).log("create failed; rolling back");
    try {
      reconciler.teardown(reconciler.connect(), name);
      store.remove(name);
    } catch (Exception e) {
      // The record stays with desired=deleted, so the reconciler finishes the rollback later.
      LOG.atWarn().addKeyValue("vm", name).setCause(e).log("rollback incomplete; the reconciler will finish it");
      store.find(name).ifPresent(r -> store.putIfPresent(r.withDesired(Vm.PowerState.deleted)));
    }
  }

  private void checkImages(VmSpec spec) {
    try {
      for (int i = 0; i < spec.disks().size(); i++) {
        if (spec.disks().get(i).baseImage() != null) {
          storage.image(spec.disks().get(i).baseImage(), "disks[" + i + "].baseImage");
        }
      }
      if (spec.boot() != null) {
        storage.image(spec.boot().kernel(), "boot.kernel");
        if (spec.boot().initrd() != null) {
          storage.image(spec.boot().initrd(), "boot.initrd");
        }
      }
    } catch (InvalidValueException e) {
      throw ApiProblem.unprocessable(e.getMessage(), List.of(FieldError.body(e.field(), e.reason())));
    }
  }

  /** Every GPU must exist on this host and be passthrough-ready (HostInventory); claims are checked in the store. */
  private void checkGpus(VmSpec spec) {
    if (spec.gpus().isEmpty()) {
      return;
    }
    HostInventory host = inventory.get();
    for (int i = 0; i < spec.gpus().size(); i++) {
      String address = spec.gpus().get(i);
      Optional<HostInventory.Gpu> gpu = host.gpus().stream().filter(g -> g.address().equals(address)).findFirst();
      String field = "gpus[" + i + "]";
      if (gpu.isEmpty()) {
        throw ApiProblem.unprocessable("no GPU at " + address + " on this host",
            List.of(FieldError.body(field, "no GPU at " + address)));
      }
      if (!gpu.get().passthrough().ready()) {
        String why = "GPU " + address + " cannot be passed through: " + gpu.get().passthrough().reason();
        throw ApiProblem.unprocessable(why, List.of(FieldError.body(field, why)));
      }
    }
  }

  @Override
  public Optional<Vm> find(String name) {
    return store.find(name).map(this::view);
  }

  @Override
  public List<Vm> list() {
    List<Vm> out = new ArrayList<>();
    for (VmRecord record : store.all()) {
      out.add(view(record));
    }
    return out;
  }

  @Override
  public Vm act(String name, VmAction action) {
    try {
      return reconciler.locked(name, () -> {
        VmRecord record = store.find(name).orElseThrow(() -> VmStore.notFound(name));
        Vm.State state = reconciler.state(name);
        boolean active = state == Vm.State.running || state == Vm.State.paused || state == Vm.State.blocked;
        switch (action) {
          case start -> store.update(name, capacityMiB.getAsLong(), r -> r.withDesired(Vm.PowerState.running));
          case stop -> store.update(name, capacityMiB.getAsLong(), r -> r.withDesired(Vm.PowerState.stopped));
          case suspend -> {
            requireActive(name, action, active);
            store.update(name, capacityMiB.getAsLong(), r -> r.withDesired(Vm.PowerState.paused));
          }
          case resume -> {
            requireActive(name, action, active);
            store.update(name, capacityMiB.getAsLong(), r -> r.withDesired(Vm.PowerState.running));
          }
          case reboot -> {
            requireActive(name, action, state == Vm.State.running);
            Libvirt.domain(reconciler.connect(), name).orElseThrow().reboot(0);
            return view(record);
          }
        }
        reconciler.convergeLocked(name);
        return view(store.find(name).orElseThrow(() -> VmStore.notFound(name)));
      });
    } catch (ApiProblem e) {
      throw e;
    } catch (Exception e) {
      throw hypervisorFailed(action + " of VM " + name, e);
    }
  }

  private static void requireActive(String name, VmAction action, boolean active) {
    if (!active) {
      throw ApiProblem.conflict("VM '" + name + "' is not running; " + action + " needs a running VM", List.of());
    }
  }

  @Override
  public Job shutdown(String name, Integer timeoutSeconds) {
    int timeout = timeoutSeconds == null ? defaultShutdownSeconds : timeoutSeconds;
    if (timeout < 0 || timeout > 3600) {
      throw ApiProblem.invalid(FieldError.query("timeoutSeconds", "must be within 0..3600, got " + timeout));
    }
    Instant deadline = clock.instant().plusSeconds(timeout);
    // Desired state first: a supervisor that dies mid-shutdown still forces the VM off after the deadline.
    store.update(name, capacityMiB.getAsLong(), r -> r.withShutdownDeadline(deadline));
    return jobs.submit("vm.shutdown", work -> {
      boolean graceful = reconciler.locked(name, () -> {
        Optional<Domain> domain = Libvirt.domain(reconciler.connect(), name);
        if (domain.isEmpty() || domain.get().isActive() == 0) {
          return true;
        }
        work.progress(10, "ACPI power button pressed; waiting up to " + timeout + " s");
        domain.get().shutdown();
        return false;
      });
      while (!graceful && clock.instant().isBefore(deadline)) {
        Vm.State state = reconciler.state(name);
        if (state == Vm.State.shutoff || state == Vm.State.absent) {
          graceful = true;
          break;
        }
        work.checkCancelled();
        Thread.sleep(Math.min(200, Math.max(1, Duration.between(clock.instant(), deadline).toMillis())));
      }
      // Not off within the timeout: forced, whoever (this job or a reconcile past the deadline) pulls the plug.
      boolean forced = !graceful;
      // Past the deadline the reconciler forces it off.
      store.find(name).ifPresent(r -> store.putIfPresent(
          new VmRecord(r.spec(), r.uuid(), r.desired(), r.generation(), r.createdAt(), null, r.pendingConfig(),
              r.lastError())));
      reconciler.converge(name);
      return java.util.Map.of("name", name, "forced", forced);
    });
  }


  @Override
  public Vm resize(String name, int vcpus, long memoryMiB) {
    VmSpec resized;
    try {
      resized = store.find(name).orElseThrow(() -> VmStore.notFound(name)).spec().withSize(vcpus, memoryMiB);
    } catch (InvalidValueException e) {
      throw ApiProblem.invalid(FieldError.body(e.field(), e.reason()));
    }
    try {
      return reconciler.locked(name, () -> {
        Vm.State state = reconciler.state(name);
        boolean active = state != Vm.State.shutoff && state != Vm.State.absent && state != Vm.State.crashed;
        // The running guest keeps its size; libvirt's persistent config gets the new one (next cold boot).
        VmRecord next = store.update(name, capacityMiB.getAsLong(), r -> r.withSpec(resized, active));
        if (active) {
          Connect c = reconciler.connect();
          Domain domain = Libvirt.domain(c, name).orElseThrow();
          String xml = domain.getXMLDesc(2); // VIR_DOMAIN_XML_INACTIVE: the persistent definition
          c.domainDefineXML(resizeXml(xml, vcpus, memoryMiB));
        } else {
          reconciler.convergeLocked(name);
        }
        return view(store.find(name).orElse(next));
      });
    } catch (ApiProblem e) {
      throw e;
    } catch (Exception e) {
      throw hypervisorFailed("resize of VM " + name, e);
    }
  }

  /** The persistent definition with new vcpus and memory (both current and maximum). */
  static String resizeXml(String xml, int vcpus, long memoryMiB) {
    long kib = memoryMiB * 1024;
    return xml.replaceFirst("<memory unit=['\"]KiB['\"]>\\d+</memory>", "<memory unit='KiB'>" + kib + "</memory>")
        .replaceFirst("<currentMemory unit=['\"]KiB['\"]>\\d+</currentMemory>",
            "<currentMemory unit='KiB'>" + kib + "</currentMemory>")
        .replaceFirst("<vcpu( [^>]*)?>\\d+</vcpu>", "<vcpu$1>" + vcpus + "</vcpu>");
  }

  @Override
  public Job delete(String name) {
    VmRecord record = store.find(name).orElseThrow(() -> VmStore.notFound(name));
    if (record.desired() != Vm.PowerState.deleted) {
      store.update(name, capacityMiB.getAsLong(), r -> r.withDesired(Vm.PowerState.deleted));
    }
    return jobs.submit("vm.delete", work -> {
      work.progress(10, "removing domain, volumes, seed ISO and claims");
      reconciler.converge(name);
      return java.util.Map.of("name", name, "deleted", true);
    });
  }


  /** The host's GPUs, each with the claim on it (if any). */
  List<Map<String, Object>> gpus() {
    Map<String, GpuClaimRecord> claims = new java.util.HashMap<>();
    store.claims().forEach(claim -> claims.put(claim.address(), claim));
    List<Map<String, Object>> out = new ArrayList<>();
    for (HostInventory.Gpu gpu : inventory.get().gpus()) {
      Map<String, Object> entry = new java.util.LinkedHashMap<>();
      entry.put("gpu", gpu);
      if (claims.containsKey(gpu.address())) {
        entry.put("claim", claims.get(gpu.address()));
      }
      out.add(entry);
    }
    return out;
  }

  Vm view(VmRecord record) {
    return new Vm(record.name(), record.uuid().toString(), record.spec(), record.desired(),
        reconciler.state(record.name()), record.generation(), record.createdAt(), record.pendingConfig(),
        record.lastError());
  }

  private static UUID uuid4(UUID raw) {
    // RFC 9562 §5.4: version 4, variant 10.
    long msb = (raw.getMostSignificantBits() & ~0xF000L) | 0x4000L;
    long lsb = (raw.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  static ApiProblem hypervisorFailed(String what, Exception e) {
    return new ApiProblem("hypervisor-failed", "The hypervisor refused", 502, what + ": " + e.getMessage(), List.of());
  }
}
