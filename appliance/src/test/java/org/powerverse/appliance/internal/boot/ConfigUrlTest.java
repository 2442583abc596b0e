package org.powerverse.appliance.internal.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigUrlTest {

  /** sysfs trees captured from real machines (hypervisor-mgr's fixtures), read in place. */
  private static Path fixture(String machine) {
    return Path.of(System.getProperty("powerverse.repo", "..")).resolve("hypervisor-mgr/src/test/fixtures/sysfs")
        .resolve(machine).resolve("sys");
  }

  private static final ConfigUrl.Machine MACHINE = new ConfigUrl.Machine(Optional.of("52:54:00:12:34:56"),
      Optional.of("4c4c4544-0042-3510-8052-b4c04f4d3732"), Optional.of("seat-017"));

  @Test
  void theTemplateGetsThisMachinesValues() {
    ConfigUrl url = ConfigUrl.of("https://cfg.hotel.lan/nodes/${mac}/${uuid}.yaml?h=${hostname}", null, MACHINE);
    assertEquals("https://cfg.hotel.lan/nodes/52:54:00:12:34:56/4c4c4544-0042-3510-8052-b4c04f4d3732.yaml?h=seat-017",
        url.uri().toString());
  }

  @Test
  void theKernelCommandLineNamesTheUrlAndItsPin() {
    String cmdline = "BOOT_IMAGE=/vmlinuz quiet pv.config=https://10.0.0.1/${mac}.yaml pv.config.fingerprint="
        + "AB".repeat(32) + " console=ttyS0\n";
    ConfigUrl url = ConfigUrl.fromKernelCmdline(cmdline, MACHINE).orElseThrow();
    assertEquals("https://10.0.0.1/52:54:00:12:34:56.yaml", url.uri().toString());
    assertEquals("AB".repeat(32), url.caFingerprint().orElseThrow());
    assertTrue(ConfigUrl.fromKernelCmdline("BOOT_IMAGE=/vmlinuz root=/dev/sda2 quiet", MACHINE).isEmpty());
  }

  @Test
  void theInterfacePxeBootedFromIsTheMac() {
    ConfigUrl.Machine machine = ConfigUrl.machine("pv.config=x BOOTIF=01-AA-BB-CC-DD-EE-FF", fixture("server-shared-group"),
        Optional.empty());
    assertEquals("aa:bb:cc:dd:ee:ff", machine.mac().orElseThrow());
  }

  @Test
  void elseTheFirstPhysicalInterfaceOfRealMachines() {
    // lo, ifb and libvirt's bridge have no device: skipped.
    assertEquals("02:fc:00:00:00:01", ConfigUrl.machine("", fixture("ci-box"), Optional.empty()).mac().orElseThrow());
    assertEquals("3c:ec:ef:44:55:66",
        ConfigUrl.machine("", fixture("server-shared-group"), Optional.empty()).mac().orElseThrow());
    assertEquals("a8:a1:59:3c:7d:12",
        ConfigUrl.machine("", fixture("workstation-dual-gpu"), Optional.empty()).mac().orElseThrow());
  }

  @Test
  void theUuidComesFromSmbios(@TempDir Path sys) throws Exception {
    Files.createDirectories(sys.resolve("class/dmi/id"));
    Files.writeString(sys.resolve("class/dmi/id/product_uuid"), "4C4C4544-0042-3510-8052-B4C04F4D3732\n");
    assertEquals("4c4c4544-0042-3510-8052-b4c04f4d3732", ConfigUrl.machine("", sys, Optional.empty()).uuid().orElseThrow());
  }

  @Test
  void whatCannotBeFilledInIsAnError() {
    ConfigUrl.Machine bare = new ConfigUrl.Machine(Optional.empty(), Optional.empty(), Optional.empty());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigUrl.of("http://10.0.0.1/${uuid}.yaml", null, bare));
    assertTrue(e.getMessage().contains("${uuid}"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigUrl.of("http://10.0.0.1/${serial}", null, MACHINE));
    assertTrue(e.getMessage().contains("unknown variable ${serial}"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigUrl.of("ftp://10.0.0.1/x", null, MACHINE));
    assertTrue(e.getMessage().contains("http"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ConfigUrl.of("http://10.0.0.1/x", "AB".repeat(32), MACHINE));
    assertTrue(e.getMessage().contains("https"), e.getMessage());
  }
}
