package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.hypervisor.Vm;
import org.powerverse.hypervisor.VmService;
import org.powerverse.hypervisor.VmSpec;
import org.powerverse.platform.Job;

/**
 * The VM lifecycle against the real libvirtd and QEMU (TCG) with the offline test guest: boots to
 * its serial marker, shutdown falls back to force, delete and a failed create leave nothing, and
 * the reconciler repairs what a crash between steps left.
 */
@Tag("integration")
class VmLifecycleTest {

  private static String name(String prefix) {
    return prefix + "-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  }

  private static VmSpec guestSpec(String name, String kernel) {
    return new VmSpec(name, 1, 256L, null, List.of(new VmSpec.Disk(1L, null)), null, null,
        new VmSpec.CloudInit("#cloud-config\nhostname: " + name + "\n",
            List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk4a2QfK0s9c2h5b3VsZG5vdGJlYXJlYWxrZXk test@powerverse")),
        new VmSpec.Boot(kernel, RealLibvirt.INITRD, "console=ttyS0 quiet"));
  }

  @Test
  void createdGuestBootsShutdownForcesItOffAndDeleteLeavesNothing() throws Exception {
    try (RealLibvirt real = RealLibvirt.open("lifecycle", 4096)) {
      System.out.println("VM lifecycle test: domains are type qemu (TCG); KVM is not used");
      String vm = name("pv-life");
      Job created = real.manager.create(guestSpec(vm, RealLibvirt.KERNEL));
      assertEquals(Job.State.succeeded, created.state(), String.valueOf(created.error()));
      RealLibvirt.awaitMarker(real.storage.serialLog(vm), 1);
      assertEquals(Vm.State.running, real.manager.find(vm).orElseThrow().state());
      assertEquals(List.of(vm + "-disk0.qcow2", vm + "-seed.iso"), real.poolFiles(vm));
      assertSeedIsoLabel(real.storage.seedIso(vm));

      // The busybox guest has no ACPI handler: the power button is ignored, so the timeout forces it off.
      Job shutdown = real.manager.shutdown(vm, 1);
      assertEquals(Job.State.succeeded, shutdown.state(), String.valueOf(shutdown.error()));
      assertTrue(shutdown.result().get("forced").asBoolean(), shutdown.result().toString());
      Vm off = real.manager.find(vm).orElseThrow();
      assertEquals(Vm.State.shutoff, off.state());
      assertEquals(Vm.PowerState.stopped, off.desired());

      Vm started = real.manager.act(vm, VmService.VmAction.start);
      assertEquals(Vm.State.running, started.state());
      RealLibvirt.awaitMarker(real.storage.serialLog(vm), 2);

      Vm paused = real.manager.act(vm, VmService.VmAction.suspend);
      assertEquals(Vm.State.paused, paused.state());
      assertEquals(Vm.State.running, real.manager.act(vm, VmService.VmAction.resume).state());

      Vm resized = real.manager.resize(vm, 2, 320);
      assertTrue(resized.pendingConfig(), "a running VM gets a resize at its next start");
      assertEquals(Vm.State.shutoff, real.manager.act(vm, VmService.VmAction.stop).state());
      Vm rebooted = real.manager.act(vm, VmService.VmAction.start);
      assertEquals(false, rebooted.pendingConfig());
      assertEquals(2, real.connection.domainLookupByName(vm).getInfo().nrVirtCpu);
      assertEquals(320L * 1024, real.connection.domainLookupByName(vm).getInfo().maxMem);

      Job deleted = real.manager.delete(vm);
      assertEquals(Job.State.succeeded, deleted.state(), String.valueOf(deleted.error()));
      RealLibvirt.assertGone(real, vm);
      assertEquals(false, Files.exists(real.storage.serialLog(vm)));
    }
  }

  @Test
  void failedStartRollsBackDomainVolumesSeedIsoAndRecord() throws Exception {
    try (RealLibvirt real = RealLibvirt.open("rollback", 4096)) {
      // Not a kernel: QEMU refuses it at start, after volumes, seed ISO and domain exist.
      byte[] garbage = new byte[64 * 1024];
      new SecureRandom().nextBytes(garbage);
      Files.write(real.storage.imagesDir().resolve("not-a-kernel"), garbage);
      String vm = name("pv-fail");
      Job created = real.manager.create(guestSpec(vm, "not-a-kernel"));
      assertEquals(Job.State.failed, created.state());
      assertEquals(502, created.error().status(), created.error().toString());
      assertTrue(created.error().detail().contains("rolled back"), created.error().detail());
      RealLibvirt.assertGone(real, vm);
      // The memory it held is free again: a VM needing all of it is admitted.
      Job next = real.manager.create(new VmSpec(name("pv-after"), 1, 4096L, null, null, null, null, null,
          new VmSpec.Boot(RealLibvirt.KERNEL, RealLibvirt.INITRD, "console=ttyS0 quiet")));
      assertEquals(Job.State.succeeded, next.state(), String.valueOf(next.error()));
    }
  }

  /**
   * What a SIGKILL leaves at the worst lines: a record written but nothing built (mid-create), a
   * record marked deleted with its domain still there (mid-delete), and our domain and volume with
   * no record (after libvirt calls, before the record). The next reconcile converges all three.
   */
  @Test
  void reconcileAfterCrashFinishesCreateAndDeleteAndRemovesOrphans() throws Exception {
    try (RealLibvirt real = RealLibvirt.open("crash", 4096)) {
      String midCreate = name("pv-midcreate");
      real.store.admit(new VmRecord(guestSpec(midCreate, RealLibvirt.KERNEL), UUID.randomUUID(),
          Vm.PowerState.running, 1, Instant.now(), null, false, null), 4096);

      String midDelete = name("pv-middelete");
      assertEquals(Job.State.succeeded, real.manager.create(guestSpec(midDelete, RealLibvirt.KERNEL)).state());
      real.store.putIfPresent(real.store.find(midDelete).orElseThrow().withDesired(Vm.PowerState.deleted));

      String orphan = name("pv-orphan");
      assertEquals(Job.State.succeeded, real.manager.create(guestSpec(orphan, RealLibvirt.KERNEL)).state());
      real.store.remove(orphan);
      assertTrue(real.domainExists(orphan) && !real.poolFiles(orphan).isEmpty());

      assertEquals(0, real.reconciler.convergeAll());

      assertEquals(Vm.State.running, real.manager.find(midCreate).orElseThrow().state());
      RealLibvirt.awaitMarker(real.storage.serialLog(midCreate), 1);
      RealLibvirt.assertGone(real, midDelete);
      RealLibvirt.assertGone(real, orphan);
    }
  }

  /** ISO 9660 §8.4: the primary volume descriptor at sector 16 holds the volume identifier at offset 40. */
  private static void assertSeedIsoLabel(Path iso) throws Exception {
    byte[] id = new byte[32];
    try (RandomAccessFile file = new RandomAccessFile(iso.toFile(), "r")) {
      file.seek(16 * 2048 + 40);
      file.readFully(id);
    }
    // cloud-init's NoCloud looks for the label cidata (either case).
    assertEquals("cidata", new String(id, StandardCharsets.US_ASCII).strip().toLowerCase());
  }
}
