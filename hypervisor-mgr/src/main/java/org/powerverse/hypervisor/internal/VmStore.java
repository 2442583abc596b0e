package org.powerverse.hypervisor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.powerverse.hypervisor.Vm;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.Lmdb;
import org.powerverse.platform.Table;

/**
 * The desired state of VMs and GPU claims in LMDB. Admission (name free, memory within capacity,
 * GPUs unclaimed) is checked and recorded in ONE write transaction: LMDB runs write transactions
 * one at a time, so concurrent creates cannot together over-commit memory or claim a GPU twice.
 */
final class VmStore {
  static final String VMS = "vms";
  static final String GPU_CLAIMS = "gpu-claims";
  static final List<String> TABLES = List.of(VMS, GPU_CLAIMS);

  private final Lmdb lmdb;
  private final Table<VmRecord> vms;
  private final Table<GpuClaimRecord> claims;

  VmStore(Lmdb lmdb) {
    this.lmdb = lmdb;
    this.vms = lmdb.table(VMS, VmRecord.class);
    this.claims = lmdb.table(GPU_CLAIMS, GpuClaimRecord.class);
  }

  /**
   * Records a new VM with its GPU claims, or throws the problem that stops it: 409 for a taken name
   * or GPU, 422 for memory beyond {@code capacityMiB} (the sum over every recorded VM, including
   * those still being deleted: their memory is not free until they are gone).
   */
  void admit(VmRecord record, long capacityMiB) {
    lmdb.write(txn -> {
      if (vms.get(txn, record.name()).isPresent()) {
        throw ApiProblem.conflict("a VM named '" + record.name() + "' exists",
            List.of(FieldError.body("name", "is taken")));
      }
      long usedMiB = 0;
      for (VmRecord other : vms.list(txn, "", false, Integer.MAX_VALUE)) {
        usedMiB += other.spec().memoryMiB();
      }
      if (usedMiB + record.spec().memoryMiB() > capacityMiB) {
        String detail = "needs " + record.spec().memoryMiB() + " MiB, " + Math.max(0, capacityMiB - usedMiB)
            + " MiB of " + capacityMiB + " MiB free for VMs";
        throw ApiProblem.unprocessable(detail, List.of(FieldError.body("memoryMiB", detail)));
      }
      List<String> gpus = record.spec().gpus();
      for (int i = 0; i < gpus.size(); i++) {
        Optional<GpuClaimRecord> held = claims.get(txn, gpus.get(i));
        if (held.isPresent()) {
          throw ApiProblem.conflict("GPU " + gpus.get(i) + " is claimed by VM '" + held.get().vm() + "'",
              List.of(FieldError.body("gpus[" + i + "]", "claimed by VM '" + held.get().vm() + "'")));
        }
      }
      vms.put(txn, record.name(), record);
      for (String gpu : gpus) {
        claims.put(txn, gpu, new GpuClaimRecord(gpu, record.name(), record.createdAt(), false));
      }
      return null;
    });
  }

  /**
   * Checks memory for a resize of {@code name} to {@code newMemoryMiB} and writes the updated record
   * in one transaction; the 422 names memoryMiB.
   */
  VmRecord update(String name, long capacityMiB, java.util.function.UnaryOperator<VmRecord> change) {
    return lmdb.write(txn -> {
      VmRecord current = vms.get(txn, name).orElseThrow(() -> notFound(name));
      if (current.desired() == Vm.PowerState.deleted) {
        throw ApiProblem.conflict("VM '" + name + "' is being deleted", List.of());
      }
      VmRecord next = change.apply(current);
      if (next.spec().memoryMiB() > current.spec().memoryMiB()) {
        long usedMiB = 0;
        for (VmRecord other : vms.list(txn, "", false, Integer.MAX_VALUE)) {
          usedMiB += other.name().equals(name) ? next.spec().memoryMiB() : other.spec().memoryMiB();
        }
        if (usedMiB > capacityMiB) {
          String detail = "needs " + (next.spec().memoryMiB() - current.spec().memoryMiB()) + " MiB more, "
              + Math.max(0, capacityMiB - (usedMiB - next.spec().memoryMiB() + current.spec().memoryMiB()))
              + " MiB of " + capacityMiB + " MiB free for VMs";
          throw ApiProblem.unprocessable(detail, List.of(FieldError.body("memoryMiB", detail)));
        }
      }
      vms.put(txn, name, next);
      return next;
    });
  }

  /** Writes a record the reconciler changed (status fields), unless the VM is gone meanwhile. */
  void putIfPresent(VmRecord record) {
    lmdb.write(txn -> {
      if (vms.get(txn, record.name()).isPresent()) {
        vms.put(txn, record.name(), record);
      }
      return null;
    });
  }

  /** Removes the VM's record and its claims together: the last step of delete and of rollback. */
  void remove(String name) {
    lmdb.write(txn -> {
      vms.delete(txn, name);
      for (GpuClaimRecord claim : claims.list(txn, "", false, Integer.MAX_VALUE)) {
        if (claim.vm().equals(name)) {
          claims.delete(txn, claim.address());
        }
      }
      return null;
    });
  }

  Optional<VmRecord> find(String name) {
    return vms.get(name);
  }

  List<VmRecord> all() {
    return vms.list("", false, Integer.MAX_VALUE);
  }

  List<GpuClaimRecord> claims() {
    return claims.list("", false, Integer.MAX_VALUE);
  }

  List<GpuClaimRecord> claimsOf(String vm) {
    List<GpuClaimRecord> out = new ArrayList<>();
    for (GpuClaimRecord claim : claims()) {
      if (claim.vm().equals(vm)) {
        out.add(claim);
      }
    }
    return out;
  }

  void putClaim(GpuClaimRecord claim) {
    claims.put(claim.address(), claim);
  }

  static ApiProblem notFound(String name) {
    return ApiProblem.notFound("no VM named '" + name + "'");
  }
}
