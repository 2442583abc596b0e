package org.powerverse.hypervisor;

import java.util.List;
import java.util.regex.Pattern;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/**
 * What a VM should be (the desired state, issue 4). Every field is checked here, before anything
 * touches libvirt; a problem names the field ({@code InvalidValueException(field, reason)}).
 */
@Doc("A VM's desired shape.")
public record VmSpec(
    @Doc("Name: 1-63 of a-z, 0-9 and '-', starting with a letter (also the libvirt domain name).") String name,
    @Doc("Virtual CPUs, 1-256.") Integer vcpus,
    @Doc("Memory in MiB, 64 MiB to 4 TiB.") Long memoryMiB,
    @Doc("Firmware: BIOS (SeaBIOS) or UEFI (OVMF).") Firmware firmware,
    @Doc("Disks, at most 16, attached as virtio in this order.") List<Disk> disks,
    @Doc("PCI addresses (dddd:bb:dd.f) of claimed GPUs passed through, at most 8.") List<String> gpus) {

  public enum Firmware { BIOS, UEFI }

  /** A virtio disk backed by a qcow2 volume: an overlay on {@code baseImage}, or blank when it is null. */
  @Doc("A disk.")
  public record Disk(
      @Doc("Size in GiB, 1-65536.") Long sizeGiB,
      @Doc("Name of a base image in the node's image store, or null for a blank volume.") String baseImage) {
    public Disk {
      Check.that(sizeGiB != null, "sizeGiB", "is required");
      sizeGiB = Check.range("sizeGiB", sizeGiB, 1, 65536);
      Check.that(baseImage == null || NAME.matcher(baseImage).matches(), "baseImage",
          "must be 1-63 of a-z, 0-9, '-' starting with a letter, was '" + baseImage + "'");
    }
  }

  public static final Firmware DEFAULT_FIRMWARE = Firmware.BIOS;
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

  public VmSpec {
    Check.that(name != null && NAME.matcher(name).matches(), "name",
        "must be 1-63 of a-z, 0-9, '-' starting with a letter, was '" + name + "'");
    Check.that(vcpus != null, "vcpus", "is required");
    vcpus = Check.range("vcpus", vcpus, 1, 256);
    Check.that(memoryMiB != null, "memoryMiB", "is required");
    memoryMiB = Check.range("memoryMiB", memoryMiB, 64, 4L * 1024 * 1024);
    firmware = Check.orDefault(firmware, DEFAULT_FIRMWARE);
    disks = Check.maxSize("disks", Check.orDefault(disks, List.of()), 16);
    Check.that(disks.stream().noneMatch(java.util.Objects::isNull), "disks", "must not contain null entries");
    disks = List.copyOf(disks);
    gpus = Check.maxSize("gpus", Check.orDefault(gpus, List.of()), 8);
    for (String gpu : gpus) {
      Check.that(gpu != null && PCI_ADDRESS.matcher(gpu).matches(), "gpus",
          "each must be a PCI address dddd:bb:dd.f in lower case, was '" + gpu + "'");
    }
    gpus = List.copyOf(gpus);
    Check.that(gpus.stream().distinct().count() == gpus.size(), "gpus", "names a GPU twice");
  }
}
