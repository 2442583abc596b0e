package org.powerverse.hypervisor.internal;

import java.io.IOException;

/** Binds a claimed GPU (with its IOMMU group's functions) to vfio-pci, and gives it back. */
interface GpuBinder {

  /** Binds the GPU at {@code address} and its companions to vfio-pci; idempotent. */
  void bind(String address) throws IOException;

  /** Rebinds the GPU at {@code address} and its companions to their host drivers; idempotent. */
  void release(String address) throws IOException;
}
