package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.hypervisor.Vm;

/**
 * SIGKILL of a node process in the middle of a create (its volume and seed ISO made, the domain
 * not yet defined), then a restart on the same data directory: the reconcile a start runs builds
 * and starts the VM; nothing is orphaned, and delete then leaves nothing.
 */
@Tag("integration")
class VmCrashTest {

  @Test
  void sigkillMidCreateThenRestartConverges() throws Exception {
    RealLibvirt.connect().close(); // skips, saying why, when libvirtd does not answer
    Path guest = RealLibvirt.guest();
    Path dataDir = RealLibvirt.newDataDir("sigkill");
    Path images = Files.createDirectories(dataDir.resolve("images"));
    Files.copy(guest.resolve("vmlinuz"), images.resolve(RealLibvirt.KERNEL));
    Files.copy(guest.resolve("initrd.gz"), images.resolve(RealLibvirt.INITRD));
    String vm = "pv-sigkill";
    Path log = dataDir.resolve("child.log");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    // The flags of the root pom's surefire.jvmArgs that the child needs (LMDB reads java.nio internals).
    List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED"));
    command.addAll(List.of("-cp", classPath, CrashChild.class.getName(), dataDir.toString(), vm));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!Files.readString(log).contains("ABOUT-TO-DEFINE")) {
        if (!child.isAlive() || System.nanoTime() > deadline) {
          fail("the child never reached the define: " + Files.readString(log));
        }
        Thread.sleep(20);
      }
      // SIGKILL (what destroyForcibly sends on Linux): no shutdown hook, no cleanup, as a crash leaves.
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, child.exitValue());
    } finally {
      child.destroyForcibly();
    }

    try (RealLibvirt restarted = RealLibvirt.reopen(dataDir, 4096)) {
      assertEquals(Vm.PowerState.running, restarted.store.find(vm).orElseThrow().desired());
      assertEquals(false, restarted.domainExists(vm), "killed before the define");
      assertEquals(List.of(vm + "-disk0.qcow2", vm + "-seed.iso"), restarted.poolFiles(vm));

      assertEquals(0, restarted.reconciler.convergeAll());
      assertEquals(Vm.State.running, restarted.manager.find(vm).orElseThrow().state());
      RealLibvirt.awaitMarker(restarted.storage.serialLog(vm), 1);

      restarted.manager.delete(vm);
      RealLibvirt.assertGone(restarted, vm);
    }
  }
}
