package org.powerverse.hypervisor.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.powerverse.hypervisor.VmSpec;

/**
 * libvirt domain XML for a {@link VmSpec} (https://libvirt.org/formatdomain.html). Type {@code kvm}
 * only where KVM is usable, else {@code qemu} (TCG): libvirt advertises kvm even on kvm_pvm hosts
 * where guests fail (shared/notes/virtualization.md). q35, virtio disks and NICs, serial console to
 * a log file; GPUs as {@code hostdev managed='no'} (we bind vfio-pci ourselves, see GPU claims),
 * with KVM hidden from the guest when {@code hideKvm} (NVIDIA consumer drivers refuse to run
 * under a visible hypervisor, error 43).
 */
public final class DomainXml {
  private DomainXml() {}

  /** Namespace of the metadata element that marks a domain as ours (libvirt formatdomain "Metadata"). */
  public static final String METADATA_NS = "urn:powerverse:vm:1";

  /**
   * Where a disk's volume, the seed ISO and the boot images are (decided by the storage pool and
   * image store, not the spec), and which node owns the domain: the reconciler only ever removes
   * domains whose metadata names its own owner.
   */
  public record Placement(UUID uuid, List<Path> diskPaths, Path seedIso, Path serialLog, Path kernel, Path initrd,
      String owner) {}

  public static String of(VmSpec spec, Placement at, boolean kvmUsable, boolean hideKvm, Path ovmfCode) {
    if (at.diskPaths().size() != spec.disks().size()) {
      throw new IllegalArgumentException("diskPaths has " + at.diskPaths().size() + " entries for "
          + spec.disks().size() + " disks");
    }
    StringBuilder x = new StringBuilder(1024);
    x.append("<domain type='").append(kvmUsable ? "kvm" : "qemu").append("'>\n");
    x.append("  <name>").append(spec.name()).append("</name>\n");
    x.append("  <uuid>").append(at.uuid()).append("</uuid>\n");
    x.append("  <metadata>\n    <pv:vm xmlns:pv='").append(METADATA_NS).append("' owner='").append(esc(at.owner()))
        .append("'/>\n  </metadata>\n");
    x.append("  <memory unit='MiB'>").append(spec.memoryMiB()).append("</memory>\n");
    x.append("  <vcpu>").append(spec.vcpus()).append("</vcpu>\n");
    x.append("  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n");
    if (spec.firmware() == VmSpec.Firmware.UEFI) {
      x.append("    <loader readonly='yes' type='pflash'>").append(esc(ovmfCode.toString())).append("</loader>\n");
    }
    if (at.kernel() != null) {
      x.append("    <kernel>").append(esc(at.kernel().toString())).append("</kernel>\n");
      if (at.initrd() != null) {
        x.append("    <initrd>").append(esc(at.initrd().toString())).append("</initrd>\n");
      }
      x.append("    <cmdline>").append(esc(spec.boot().cmdline())).append("</cmdline>\n");
    } else {
      x.append("    <boot dev='hd'/>\n");
    }
    x.append("  </os>\n");
    x.append("  <features>\n    <acpi/>\n");
    if (hideKvm && kvmUsable && !spec.gpus().isEmpty()) {
      x.append("    <kvm>\n      <hidden state='on'/>\n    </kvm>\n");
    }
    x.append("  </features>\n");
    x.append("  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>restart</on_reboot>\n  <on_crash>destroy</on_crash>\n");
    x.append("  <devices>\n");
    for (int i = 0; i < spec.disks().size(); i++) {
      x.append("    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n")
          .append("      <source file='").append(esc(at.diskPaths().get(i).toString())).append("'/>\n")
          .append("      <target dev='vd").append((char) ('a' + i)).append("' bus='virtio'/>\n    </disk>\n");
    }
    if (at.seedIso() != null) {
      x.append("    <disk type='file' device='cdrom'>\n      <driver name='qemu' type='raw'/>\n")
          .append("      <source file='").append(esc(at.seedIso().toString())).append("'/>\n")
          .append("      <target dev='sda' bus='sata'/>\n      <readonly/>\n    </disk>\n");
    }
    for (String network : spec.networks()) {
      x.append("    <interface type='network'>\n      <source network='").append(esc(network))
          .append("'/>\n      <model type='virtio'/>\n    </interface>\n");
    }
    x.append("    <serial type='file'>\n      <source path='").append(esc(at.serialLog().toString()))
        // append: the log keeps earlier boots (libvirt truncates it at each start otherwise).
        .append("' append='on'/>\n      <target port='0'/>\n    </serial>\n");
    for (String gpu : spec.gpus()) {
      // dddd:bb:dd.f, validated by VmSpec
      x.append("    <hostdev mode='subsystem' type='pci' managed='no'>\n      <source>\n        <address domain='0x")
          .append(gpu, 0, 4).append("' bus='0x").append(gpu, 5, 7).append("' slot='0x").append(gpu, 8, 10)
          .append("' function='0x").append(gpu.charAt(11)).append("'/>\n      </source>\n    </hostdev>\n");
    }
    x.append("  </devices>\n</domain>\n");
    return x.toString();
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;").replace("\"", "&quot;");
  }
}
