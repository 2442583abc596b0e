package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.hypervisor.VmSpec;

class DomainXmlTest {
  private static final Path OVMF = Path.of("/usr/share/OVMF/OVMF_CODE.fd");

  private static DomainXml.Placement placement(int disks) {
    List<Path> paths = java.util.stream.IntStream.range(0, disks)
        .mapToObj(i -> Path.of("/var/lib/powerverse/vms/pool/web-1-disk" + i + ".qcow2")).toList();
    return new DomainXml.Placement(UUID.fromString("6f1c1f4e-8a7b-4c3e-9d2a-0b1c2d3e4f50"), paths,
        Path.of("/var/lib/powerverse/vms/pool/web-1-seed.iso"), Path.of("/var/log/powerverse/web-1 serial&.log"),
        null, null, "node-'1'");
  }

  private static VmSpec gpuSpec(VmSpec.Firmware fw) {
    return new VmSpec("web-1", 2, 1024L, fw, List.of(new VmSpec.Disk(10L, "debian-12"), new VmSpec.Disk(5L, null)), List.of("default"),
        List.of("0000:01:00.0", "0000:01:00.1"), null, null);
  }

  @Test
  void usesTcgWhereKvmIsUnusableAndHidesKvmOnlyUnderKvm() {
    String tcg = DomainXml.of(gpuSpec(VmSpec.Firmware.BIOS), placement(2), false, true, OVMF);
    assertTrue(tcg.startsWith("<domain type='qemu'>"), tcg);
    assertFalse(tcg.contains("<hidden"), tcg);
    String kvm = DomainXml.of(gpuSpec(VmSpec.Firmware.BIOS), placement(2), true, true, OVMF);
    assertTrue(kvm.startsWith("<domain type='kvm'>"), kvm);
    assertTrue(kvm.contains("<hidden state='on'/>"), kvm);
    assertTrue(kvm.contains("<address domain='0x0000' bus='0x01' slot='0x00' function='0x1'/>"), kvm);
    assertTrue(kvm.contains("<target dev='vdb' bus='virtio'/>"), kvm);
    assertTrue(kvm.contains("serial&amp;.log"), kvm);
  }

  /** The generated XML against libvirt's own RelaxNG schema (virt-xml-validate, libvirt-clients). */
  @Test
  @Tag("integration")
  void generatedXmlValidatesAgainstLibvirtSchema() throws Exception {
    assumeTrue(new File("/usr/bin/virt-xml-validate").canExecute() && new File("/usr/bin/xmllint").canExecute(),
        "virt-xml-validate and xmllint missing (libvirt-clients, libxml2-utils: scripts/setup/libvirt.sh)");
    Path dir = Files.createDirectories(Path.of("target", "domain-xml"));
    for (VmSpec.Firmware fw : VmSpec.Firmware.values()) {
      for (boolean kvm : new boolean[] {false, true}) {
        Path xml = dir.resolve("web-1-" + fw + "-" + kvm + ".xml");
        Files.writeString(xml, DomainXml.of(gpuSpec(fw), placement(2), kvm, true, OVMF));
        Path log = dir.resolve(xml.getFileName() + ".log");
        Process p = new ProcessBuilder("virt-xml-validate", xml.toString(), "domain")
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertEquals(0, p.waitFor(), xml + ": " + Files.readString(log));
      }
    }
    Path boot = dir.resolve("guest-kernel-boot.xml");
    Files.writeString(boot, DomainXml.of(kernelBootSpec(), kernelBootPlacement(), false, true, OVMF));
    Path log = dir.resolve("guest-kernel-boot.log");
    Process p = new ProcessBuilder("virt-xml-validate", boot.toString(), "domain")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertEquals(0, p.waitFor(), boot + ": " + Files.readString(log));
  }

  private static VmSpec kernelBootSpec() {
    return new VmSpec("guest", 1, 256L, null, List.of(new VmSpec.Disk(1L, null)), List.of(), List.of(),
        new VmSpec.CloudInit(null, List.of()), new VmSpec.Boot("guest-kernel", "guest-initrd", "console=ttyS0 quiet"));
  }

  private static DomainXml.Placement kernelBootPlacement() {
    return new DomainXml.Placement(UUID.fromString("6f1c1f4e-8a7b-4c3e-9d2a-0b1c2d3e4f51"),
        List.of(Path.of("/data/vms/pool/guest-disk0.qcow2")), Path.of("/data/vms/pool/guest-seed.iso"),
        Path.of("/data/vms/logs/guest.serial.log"), Path.of("/data/images/guest-kernel"),
        Path.of("/data/images/guest-initrd"), "node-0123456789ab");
  }

  @Test
  void directKernelBootNamesImagesAndMarksTheDomainAsOurs() {
    String xml = DomainXml.of(kernelBootSpec(), kernelBootPlacement(), false, true, OVMF);
    assertTrue(xml.contains("<kernel>/data/images/guest-kernel</kernel>"), xml);
    assertTrue(xml.contains("<initrd>/data/images/guest-initrd</initrd>"), xml);
    assertTrue(xml.contains("<cmdline>console=ttyS0 quiet</cmdline>"), xml);
    assertFalse(xml.contains("<boot dev="), xml);
    assertTrue(xml.contains("<pv:vm xmlns:pv='urn:powerverse:vm:1' owner='node-0123456789ab'/>"), xml);
    assertTrue(xml.contains("append='on'"), xml);
  }
}
