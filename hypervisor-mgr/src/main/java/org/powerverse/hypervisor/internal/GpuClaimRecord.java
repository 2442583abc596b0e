package org.powerverse.hypervisor.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * A GPU claimed by a VM, as stored in LMDB table {@code gpu-claims} (key: the GPU's PCI address).
 * Written in the same transaction as the VM's record, so two creates cannot claim one GPU.
 *
 * @param address the GPU's PCI address
 * @param vm the VM holding it
 * @param claimedAt when it was claimed
 * @param bound whether its group is bound to vfio-pci (false between the claim and the bind)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GpuClaimRecord(String address, String vm, Instant claimedAt, boolean bound) {
  public GpuClaimRecord {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(claimedAt, "claimedAt");
  }

  GpuClaimRecord withBound(boolean next) {
    return new GpuClaimRecord(address, vm, claimedAt, next);
  }
}
