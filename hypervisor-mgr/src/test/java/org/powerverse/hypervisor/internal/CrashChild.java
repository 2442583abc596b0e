package org.powerverse.hypervisor.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.powerverse.hypervisor.VmSpec;

/**
 * A node process for {@link VmCrashTest}: creates a VM on an existing data directory and, once its
 * volume and seed ISO exist and right before the domain is defined, prints {@code ABOUT-TO-DEFINE}
 * and waits to be killed with SIGKILL. Args: dataDir vmName.
 */
public final class CrashChild {
  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[0]);
    String vm = args[1];
    CountDownLatch never = new CountDownLatch(1);
    RealLibvirt node = new RealLibvirt(dataDir, RealLibvirt.connect(), 4096, () -> {
      System.out.println("ABOUT-TO-DEFINE");
      System.out.flush();
      try {
        never.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("CrashChild was not killed");
    });
    node.manager.create(new VmSpec(vm, 1, 256L, null, List.of(new VmSpec.Disk(1L, null)), null, null,
        new VmSpec.CloudInit(null, null), new VmSpec.Boot(RealLibvirt.KERNEL, RealLibvirt.INITRD, "console=ttyS0 quiet")));
  }
}
