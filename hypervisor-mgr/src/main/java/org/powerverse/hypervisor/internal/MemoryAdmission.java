package org.powerverse.hypervisor.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Memory admission for VM creates: the check and the reservation happen under one lock, so
 * concurrent creates cannot together over-commit {@code capacityMiB} (host memory minus what the
 * node keeps for itself). The reconciler seeds it from the desired-state table on start.
 */
public final class MemoryAdmission {
  private final long capacityMiB;
  private final Map<String, Long> reservedMiB = new HashMap<>();
  private long totalMiB;

  public MemoryAdmission(long capacityMiB) {
    if (capacityMiB < 0) throw new IllegalArgumentException("capacityMiB must be >= 0, got " + capacityMiB);
    this.capacityMiB = capacityMiB;
  }

  /** Reserves {@code memoryMiB} for {@code vm}; empty when admitted, else why not. */
  public synchronized Optional<String> reserve(String vm, long memoryMiB) {
    if (memoryMiB <= 0) throw new IllegalArgumentException("memoryMiB must be > 0, got " + memoryMiB);
    if (reservedMiB.containsKey(vm)) return Optional.of("VM '" + vm + "' already holds memory");
    if (totalMiB + memoryMiB > capacityMiB) {
      return Optional.of("needs " + memoryMiB + " MiB, " + (capacityMiB - totalMiB) + " MiB of "
          + capacityMiB + " MiB free");
    }
    reservedMiB.put(vm, memoryMiB);
    totalMiB += memoryMiB;
    return Optional.empty();
  }

  /** Gives back what {@code vm} holds (rollback of a failed create, delete); no-op when it holds none. */
  public synchronized void release(String vm) {
    Long held = reservedMiB.remove(vm);
    if (held != null) totalMiB -= held;
  }

  public synchronized long reservedMiB() {
    return totalMiB;
  }
}
