package org.powerverse.appliance.internal.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.NodeConfig.SystemConfig;
import org.powerverse.appliance.internal.system.SystemSlots.State;
import org.powerverse.appliance.internal.system.UpdateBundle.BundleException;

/**
 * The A/B slots over files standing in for partitions and the ESP: what an update writes, what a
 * refusal leaves, and the boot-loader environment through a trial, a success and a rollback. GRUB's
 * side of the protocol is replayed by {@link #grubBoots}, the same rule as image-build/ab/grub-ab.cfg.
 */
class SystemSlotsTest {

  @TempDir Path dir;
  private final Random random = new Random(20261125);
  private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
  private Path env;
  private Path cmdline;
  private SystemConfig config;
  private byte[] rootA;
  private byte[] rootfs;
  private byte[] kernel;
  private byte[] initrd;

  @BeforeEach
  void imageAsFlashed() throws IOException {
    env = dir.resolve("esp/powerverse/grubenv");
    Files.createDirectories(env.getParent());
    // What image-build writes: slot A good and first, B empty.
    GrubEnv.empty().set("ORDER", "A B").set("A_OK", "1").set("A_TRY", "0").set("A_STATE", "good")
        .set("A_VERSION", "0.1.0").set("B_OK", "0").set("B_STATE", "empty").write(env);
    rootA = bytes(4096);
    Files.write(dir.resolve("root-a"), rootA);
    Files.write(dir.resolve("root-b"), bytes(8192)); // stale bytes of an older image
    cmdline = dir.resolve("cmdline");
    Files.writeString(cmdline, "BOOT_IMAGE=/powerverse/A/vmlinuz pv.slot=A quiet\n");
    config = new SystemConfig(List.of(), dir.resolve("no-keys-file").toString(), env.toString(),
        new SystemConfig.Slot(dir.resolve("root-a").toString(), dir.resolve("esp/powerverse/A").toString()),
        new SystemConfig.Slot(dir.resolve("root-b").toString(), dir.resolve("esp/powerverse/B").toString()),
        null, List.of("true"), cmdline.toString());
    rootfs = bytes(2 * 1024 * 1024 + 3);
    kernel = bytes(1000);
    initrd = bytes(3000);
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] bundle(String version, String... roles) throws IOException {
    List<UpdateBundle.Source> sources = new ArrayList<>();
    for (String role : roles) {
      Path file = dir.resolve("src-" + role);
      Files.write(file, switch (role) {
        case "rootfs" -> rootfs;
        case "kernel" -> kernel;
        default -> initrd;
      });
      sources.add(new UpdateBundle.Source(role, file));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UpdateBundle.create(out, key, version, Instant.parse("2026-11-25T00:00:00Z"), sources);
    return out.toByteArray();
  }

  private SystemSlots.Installed install(SystemSlots slots, byte[] bundle) throws Exception {
    return slots.install(new ByteArrayInputStream(bundle), List.of(key.generatePublicKey().getEncoded()), n -> { });
  }

  /**
   * GRUB's rule (grub-ab.cfg): first slot in ORDER with OK=1 and TRY<3; count the attempt; boot it
   * (the kernel command line names it; a supervisor started after this reads it).
   */
  private String grubBoots() throws IOException {
    GrubEnv e = GrubEnv.read(env);
    String chosen = null;
    for (String slot : e.get("ORDER", "A B").split(" ")) {
      int tries = Integer.parseInt(e.get(slot + "_TRY", "0"));
      if ("1".equals(e.get(slot + "_OK")) && tries < 3) {
        chosen = slot;
        e.set(slot + "_TRY", String.valueOf(tries + 1)).write(env);
        break;
      }
    }
    Files.writeString(cmdline, "pv.slot=" + chosen + "\n");
    return chosen;
  }

  private SystemSlots.SlotStatus slot(SystemSlots slots, String name) throws IOException {
    return slots.status().slots().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void updateGoesToTheOtherSlotBootsOnTrialAndIsMarkedGoodWhenReady() throws Exception {
    SystemSlots slots = new SystemSlots(config, "0.1.0");
    assertTrue(slots.status().updatesAvailable());
    SystemSlots.Installed installed = install(slots, bundle("0.2.0", "rootfs", "kernel", "initrd"));
    assertEquals("B", installed.slot());
    assertEquals("0.2.0", installed.version());
    // The root image went onto B's partition (replacing what was there), kernel and initrd beside it.
    assertArrayEquals(rootfs, Files.readAllBytes(dir.resolve("root-b")));
    assertArrayEquals(kernel, Files.readAllBytes(dir.resolve("esp/powerverse/B/vmlinuz")));
    assertArrayEquals(initrd, Files.readAllBytes(dir.resolve("esp/powerverse/B/initrd.img")));
    assertArrayEquals(rootA, Files.readAllBytes(dir.resolve("root-a")), "the booted slot is never written");
    assertEquals(State.pending, slot(slots, "B").state());
    assertEquals(3, slot(slots, "B").bootAttemptsLeft());
    assertEquals("B", slots.status().nextBoot());

    assertEquals("B", grubBoots());
    slots = new SystemSlots(config, "0.1.0"); // the supervisor of the new boot
    assertTrue(slots.onTrial());
    assertEquals(2, slot(slots, "B").bootAttemptsLeft());
    slots.markBootedGood();
    assertFalse(slots.onTrial());
    assertEquals(State.good, slot(slots, "B").state());
    assertEquals("B A", GrubEnv.read(env).get("ORDER"));
    assertEquals("B", grubBoots(), "the good slot keeps booting");
    slots = new SystemSlots(config, "0.1.0");
    slots.markBootedGood();
    assertEquals("0", GrubEnv.read(env).get("B_TRY"));
  }

  @Test
  void aSlotThatNeverBecomesReadyRollsBackAfterThreeBoots() throws Exception {
    SystemSlots slots = new SystemSlots(config, "0.1.0");
    install(slots, bundle("0.2.0", "rootfs", "kernel", "initrd"));
    for (int boot = 1; boot <= 3; boot++) {
      assertEquals("B", grubBoots(), "attempt " + boot); // ...and the supervisor never gets ready
    }
    assertEquals("A", grubBoots(), "after three failed boots GRUB goes back to A");
    slots = new SystemSlots(config, "0.1.0");
    slots.markBootedGood();
    assertEquals(State.failed, slot(slots, "B").state());
    assertEquals(State.good, slot(slots, "A").state());
    assertEquals("A B", GrubEnv.read(env).get("ORDER"));
    assertEquals("A", grubBoots(), "the failed slot is not tried again");
  }

  @Test
  void refusalsBeforeThePayloadsTouchNothingAndLaterOnesLeaveTheSlotOutOfTheBootOrder() throws Exception {
    SystemSlots slots = new SystemSlots(config, "0.1.0");
    byte[] envBefore = Files.readAllBytes(env);
    byte[] rootBBefore = Files.readAllBytes(dir.resolve("root-b"));
    // Signed by another key, and older than the running version: refused from the manifest alone.
    Ed25519PrivateKeyParameters stranger = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
    BundleException foreign = assertThrows(BundleException.class, () -> slots.install(
        new ByteArrayInputStream(bundle("0.2.0", "rootfs", "kernel", "initrd")),
        List.of(stranger.generatePublicKey().getEncoded()), n -> { }));
    assertEquals(BundleException.Reason.BAD_SIGNATURE, foreign.reason);
    BundleException older = assertThrows(BundleException.class, () -> install(slots, bundle("0.0.9", "rootfs", "kernel", "initrd")));
    assertEquals(BundleException.Reason.OLDER, older.reason);
    assertArrayEquals(envBefore, Files.readAllBytes(env), "nothing written to the boot environment");
    assertArrayEquals(rootBBefore, Files.readAllBytes(dir.resolve("root-b")), "nothing written to the slot");

    // A flipped byte in the last payload: found only after the root image was streamed onto B.
    byte[] tampered = bundle("0.2.0", "rootfs", "kernel", "initrd");
    tampered[tampered.length - 1024 - 100] ^= 1;
    BundleException corrupt = assertThrows(BundleException.class, () -> install(slots, tampered));
    assertEquals(BundleException.Reason.CORRUPT, corrupt.reason);
    assertEquals(State.bad, slot(slots, "B").state());
    assertEquals("A", slots.status().nextBoot(), "a refused slot never boots");
    assertFalse(Files.exists(dir.resolve("esp/powerverse/B/vmlinuz")));
    try (var left = Files.list(dir.resolve("esp/powerverse/B"))) {
      assertEquals(List.of(), left.toList(), "no partial kernel or initrd left");
    }

    // A bundle without a kernel cannot make a bootable slot.
    assertThrows(SystemSlots.SlotRefusal.class, () -> install(slots, bundle("0.2.0", "rootfs", "initrd")));
    assertEquals(State.bad, slot(slots, "B").state());
    // And a good one afterwards still installs.
    install(slots, bundle("0.2.0", "rootfs", "kernel", "initrd"));
    assertEquals(State.pending, slot(slots, "B").state());
  }

  @Test
  void notBootedFromTheImageMeansNoUpdatesAndSaysWhy() throws Exception {
    Files.writeString(cmdline, "BOOT_IMAGE=/vmlinuz root=/dev/sda1\n");
    SystemSlots slots = new SystemSlots(config, "0.1.0");
    SystemSlots.Status status = slots.status();
    assertFalse(status.updatesAvailable());
    assertTrue(status.unavailableReason().contains("pv.slot="), status.unavailableReason());
    assertThrows(IllegalStateException.class, () -> install(slots, bundle("0.2.0", "rootfs", "kernel", "initrd")));
    slots.markBootedGood(); // a no-op, not an error
  }

  @Test
  void trustedKeysComeFromConfigAndThePinnedFile() throws Exception {
    Path keys = dir.resolve("update-keys");
    String hex = java.util.HexFormat.of().formatHex(key.generatePublicKey().getEncoded());
    Files.writeString(keys, "# the image's build key\n" + hex + "\n\n");
    SystemConfig withFile = new SystemConfig(List.of("00".repeat(32)), keys.toString(), env.toString(), config.slotA(),
        config.slotB(), null, null, cmdline.toString());
    List<byte[]> trusted = new SystemSlots(withFile, "0.1.0").trustedKeys();
    assertEquals(2, trusted.size());
    assertArrayEquals(key.generatePublicKey().getEncoded(), trusted.get(1));
    Files.writeString(keys, "not-a-key\n");
    IOException bad = assertThrows(IOException.class, () -> new SystemSlots(withFile, "0.1.0").trustedKeys());
    assertTrue(bad.getMessage().contains("line 1"), bad.getMessage());
  }
}
