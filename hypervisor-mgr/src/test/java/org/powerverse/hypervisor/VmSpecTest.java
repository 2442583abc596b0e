package org.powerverse.hypervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.InvalidValueException;

class VmSpecTest {
  private static VmSpec.Disk disk() {
    return new VmSpec.Disk(10L, null);
  }

  private static String fieldOf(Runnable r) {
    return assertThrows(InvalidValueException.class, r::run).field();
  }

  @Test
  void appliesDefaultsAndCopiesLists() {
    List<VmSpec.Disk> disks = new ArrayList<>(List.of(disk()));
    VmSpec spec = new VmSpec("web-1", 2, 512L, null, disks, null, null, null, null);
    disks.clear();
    assertEquals(VmSpec.Firmware.BIOS, spec.firmware());
    assertEquals(1, spec.disks().size());
    assertEquals(List.of(), spec.gpus());
  }

  @Test
  void rejectsEachBadFieldByName() {
    assertEquals("name", fieldOf(() -> new VmSpec("Web", 1, 512L, null, null, null, null, null, null)));
    assertEquals("name", fieldOf(() -> new VmSpec("1web", 1, 512L, null, null, null, null, null, null)));
    assertEquals("name", fieldOf(() -> new VmSpec(null, 1, 512L, null, null, null, null, null, null)));
    assertEquals("vcpus", fieldOf(() -> new VmSpec("a", 0, 512L, null, null, null, null, null, null)));
    assertEquals("vcpus", fieldOf(() -> new VmSpec("a", null, 512L, null, null, null, null, null, null)));
    assertEquals("memoryMiB", fieldOf(() -> new VmSpec("a", 1, 63L, null, null, null, null, null, null)));
    assertEquals("disks", fieldOf(() -> new VmSpec("a", 1, 512L, null, Arrays.asList(disk(), null), null, null, null, null)));
    assertEquals("disks", fieldOf(() -> new VmSpec("a", 1, 512L, null, java.util.Collections.nCopies(17, disk()), null, null, null, null)));
    assertEquals("sizeGiB", fieldOf(() -> new VmSpec.Disk(0L, null)));
    assertEquals("baseImage", fieldOf(() -> new VmSpec.Disk(1L, "../etc")));
    assertEquals("gpus", fieldOf(() -> new VmSpec("a", 1, 512L, null, null, null, List.of("01:00.0"), null, null)));
    assertEquals("gpus", fieldOf(() -> new VmSpec("a", 1, 512L, null, null, null, List.of("0000:01:00.0", "0000:01:00.0"), null, null)));
  }

  @Test
  void cloudInitBootAndNetworksNameTheirFields() {
    assertEquals("sshKeys", fieldOf(() -> new VmSpec.CloudInit(null, List.of("ssh-ed25519 AAAA\nssh-rsa BBBB evil"))));
    assertEquals("userData", fieldOf(() -> new VmSpec.CloudInit("x".repeat(64 * 1024 + 1), null)));
    assertEquals("kernel", fieldOf(() -> new VmSpec.Boot("/boot/vmlinuz", null, null)));
    assertEquals("initrd", fieldOf(() -> new VmSpec.Boot("k", "../initrd", null)));
    assertEquals("cmdline", fieldOf(() -> new VmSpec.Boot("k", null, "console=ttyS0\n")));
    assertEquals("networks", fieldOf(() -> new VmSpec("a", 1, 512L, null, null, List.of("bad name"), null, null, null)));
    VmSpec.CloudInit ok = new VmSpec.CloudInit(null, List.of("ssh-ed25519 AAAAC3Nza test@host"));
    assertEquals(List.of("ssh-ed25519 AAAAC3Nza test@host"), ok.sshKeys());
  }
}
