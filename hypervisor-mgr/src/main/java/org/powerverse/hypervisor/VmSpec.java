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
    @Doc("libvirt networks the VM gets a virtio NIC on, at most 8, in this order.") List<String> networks,
    @Doc("PCI addresses (dddd:bb:dd.f) of GPUs passed through, at most 8; each is claimed for this VM.") List<String> gpus,
    @Doc("cloud-init NoCloud data, given to the guest on a seed ISO; none when null.") CloudInit cloudInit,
    @Doc("Direct kernel boot from images in the node's image store; boot from the first disk when null.") Boot boot) {

  public enum Firmware { BIOS, UEFI }

  /** cloud-init's NoCloud data source (https://cloudinit.readthedocs.io/en/latest/reference/datasources/nocloud.html). */
  @Doc("cloud-init data.")
  public record CloudInit(
      @Doc("user-data as given (#cloud-config YAML or a script), at most 64 KiB.") String userData,
      @Doc("SSH public keys for the default user (meta-data public-keys), at most 32.") List<String> sshKeys) {
    public static final int MAX_USER_DATA = 64 * 1024;

    public CloudInit {
      Check.that(userData == null || userData.length() <= MAX_USER_DATA, "userData",
          "must be at most " + MAX_USER_DATA + " characters, was " + (userData == null ? 0 : userData.length()));
      sshKeys = List.copyOf(Check.maxSize("sshKeys", Check.orDefault(sshKeys, List.of()), 32));
      for (String key : sshKeys) {
        // One line each: meta-data is YAML and a newline would let a key inject other keys.
        Check.that(SSH_KEY.matcher(key).matches(), "sshKeys",
            "each must be one line 'type base64 [comment]', was '" + key + "'");
      }
    }
  }

  /** Direct kernel boot: the kernel (and initrd) are images in the node's image store, never host paths. */
  @Doc("Direct kernel boot.")
  public record Boot(
      @Doc("Image name of the kernel.") String kernel,
      @Doc("Image name of the initrd, or null.") String initrd,
      @Doc("Kernel command line, at most 1024 characters.") String cmdline) {
    public Boot {
      Check.that(kernel != null && NAME.matcher(kernel).matches(), "kernel",
          "must be an image name: 1-63 of a-z, 0-9, '-' starting with a letter, was '" + kernel + "'");
      Check.that(initrd == null || NAME.matcher(initrd).matches(), "initrd",
          "must be an image name: 1-63 of a-z, 0-9, '-' starting with a letter, was '" + initrd + "'");
      cmdline = Check.orDefault(cmdline, "");
      Check.that(cmdline.length() <= 1024 && cmdline.chars().noneMatch(c -> c < 0x20), "cmdline",
          "must be at most 1024 printable characters");
    }
  }

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
  static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9_-]{1,63}");
  static final Pattern SSH_KEY = Pattern.compile("[a-z0-9@.-]+ [A-Za-z0-9+/=]+( [^\\r\\n]*)?");
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
    networks = List.copyOf(Check.maxSize("networks", Check.orDefault(networks, List.of()), 8));
    for (String network : networks) {
      Check.that(network != null && NETWORK.matcher(network).matches(), "networks",
          "each must be a libvirt network name of 1-63 of A-Z, a-z, 0-9, '_', '-', was '" + network + "'");
    }
    gpus = Check.maxSize("gpus", Check.orDefault(gpus, List.of()), 8);
    for (String gpu : gpus) {
      Check.that(gpu != null && PCI_ADDRESS.matcher(gpu).matches(), "gpus",
          "each must be a PCI address dddd:bb:dd.f in lower case, was '" + gpu + "'");
    }
    gpus = List.copyOf(gpus);
    Check.that(gpus.stream().distinct().count() == gpus.size(), "gpus", "names a GPU twice");
  }

  /** The same VM with new vcpus and memory (resize). */
  public VmSpec withSize(int newVcpus, long newMemoryMiB) {
    return new VmSpec(name, newVcpus, newMemoryMiB, firmware, disks, networks, gpus, cloudInit, boot);
  }
}
