package org.powerverse.hypervisor.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.powerverse.hypervisor.VmSpec;

/**
 * Where VMs' files live: a libvirt {@code dir} storage pool under the subsystem's data directory
 * (volumes {@code <vm>-disk<i>.qcow2}, blank or a copy-on-write overlay of a base image, and the
 * seed ISO {@code <vm>-seed.iso}), the image store ({@code images/<name>}) and the serial logs.
 * Volumes are created and deleted through libvirt's storage API (it runs qemu-img), never by
 * shelling out to virsh.
 */
final class VmStorage {

  private static final Pattern VOLUME = Pattern.compile("([a-z][a-z0-9-]{0,62})-(disk[0-9]+\\.qcow2|seed\\.iso)");

  private final Path poolDir;
  private final Path imagesDir;
  private final Path logDir;
  private final String poolName;

  VmStorage(Path vmsDir, Path imagesDir) {
    this.poolDir = vmsDir.resolve("pool");
    this.imagesDir = imagesDir;
    this.logDir = vmsDir.resolve("logs");
    // One pool per data directory: two nodes (or tests) on one libvirtd never share volumes.
    this.poolName = "powerverse-" + shortHash(poolDir.toAbsolutePath().toString());
  }

  /**
   * Creates the directories. QEMU runs as another user (libvirt-qemu) and must traverse them to
   * open the files libvirt labels for it, so they are 0711 (no listing).
   */
  void prepare() throws IOException {
    for (Path dir : List.of(poolDir.getParent(), poolDir, logDir, imagesDir)) {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }
  }

  String poolName() {
    return poolName;
  }

  Path poolDir() {
    return poolDir;
  }

  Path imagesDir() {
    return imagesDir;
  }

  Path serialLog(String vm) {
    return logDir.resolve(vm + ".serial.log");
  }

  Path seedIso(String vm) {
    return poolDir.resolve(vm + "-seed.iso");
  }

  static String diskVolume(String vm, int index) {
    return vm + "-disk" + index + ".qcow2";
  }

  /** The VM a pool volume belongs to, when it is one of ours. */
  static Optional<String> ownerOfVolume(String volume) {
    Matcher m = VOLUME.matcher(volume);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The image named {@code name} in the image store; a problem naming {@code field} when absent. */
  Path image(String name, String field) {
    Path path = imagesDir.resolve(name);
    if (!Files.isRegularFile(path)) {
      throw new org.powerverse.platform.InvalidValueException(field, "no image '" + name + "' in the image store");
    }
    return path;
  }

  /** The pool, started (a transient pool: libvirt forgets it on restart and we create it again). */
  StoragePool pool(Connect connection) throws LibvirtException {
    Optional<StoragePool> found = Libvirt.pool(connection, poolName);
    if (found.isPresent()) {
      StoragePool pool = found.get();
      if (pool.isActive() == 0) {
        pool.create(0);
      }
      pool.refresh(0);
      return pool;
    }
    String xml = "<pool type='dir'>\n  <name>" + poolName + "</name>\n  <target>\n    <path>"
        + DomainXml.esc(poolDir.toAbsolutePath().toString()) + "</path>\n  </target>\n</pool>\n";
    return connection.storagePoolCreateXML(xml, 0);
  }

  /** Ensures each disk's volume exists (idempotent); returns their paths in disk order. */
  List<Path> ensureDisks(StoragePool pool, VmSpec spec) throws LibvirtException, IOException {
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < spec.disks().size(); i++) {
      VmSpec.Disk disk = spec.disks().get(i);
      String name = diskVolume(spec.name(), i);
      Optional<StorageVol> existing = Libvirt.volume(pool, name);
      if (existing.isPresent()) {
        paths.add(Path.of(existing.get().getPath()));
        continue;
      }
      StringBuilder xml = new StringBuilder("<volume>\n  <name>").append(name).append("</name>\n")
          .append("  <capacity unit='GiB'>").append(disk.sizeGiB()).append("</capacity>\n")
          .append("  <target>\n    <format type='qcow2'/>\n  </target>\n");
      if (disk.baseImage() != null) {
        Path base = image(disk.baseImage(), "disks[" + i + "].baseImage");
        xml.append("  <backingStore>\n    <path>").append(DomainXml.esc(base.toAbsolutePath().toString()))
            .append("</path>\n    <format type='").append(imageFormat(base)).append("'/>\n  </backingStore>\n");
      }
      xml.append("</volume>\n");
      paths.add(Path.of(pool.storageVolCreateXML(xml.toString(), 0).getPath()));
    }
    return paths;
  }

  /** Ensures the seed ISO exists when the spec has cloud-init; its path, or null without. */
  Path ensureSeedIso(StoragePool pool, VmSpec spec, UUID uuid) throws LibvirtException, IOException {
    if (spec.cloudInit() == null) {
      return null;
    }
    Path iso = seedIso(spec.name());
    if (!Files.exists(iso)) {
      SeedIso.write(iso, spec.name(), uuid, spec.cloudInit());
      pool.refresh(0);
    }
    return iso;
  }

  /** Deletes every volume of {@code vm} and its serial log; idempotent. */
  void deleteAll(StoragePool pool, String vm) throws LibvirtException, IOException {
    for (String volume : pool.listVolumes()) {
      if (ownerOfVolume(volume).filter(vm::equals).isPresent()) {
        Optional<StorageVol> found = Libvirt.volume(pool, volume);
        if (found.isPresent()) {
          found.get().delete(0);
        }
      }
    }
    Files.deleteIfExists(seedIso(vm));
    Files.deleteIfExists(serialLog(vm));
  }

  /** Names of the VMs that have any volume in the pool. */
  List<String> volumeOwners(StoragePool pool) throws LibvirtException {
    List<String> owners = new ArrayList<>();
    for (String volume : pool.listVolumes()) {
      ownerOfVolume(volume).filter(o -> !owners.contains(o)).ifPresent(owners::add);
    }
    return owners;
  }

  /** qcow2 by its magic ("QFI\xfb", qcow2 spec "Header"), else raw. */
  static String imageFormat(Path image) throws IOException {
    byte[] magic = new byte[4];
    try (InputStream in = Files.newInputStream(image)) {
      int read = in.readNBytes(magic, 0, 4);
      return read == 4 && magic[0] == 'Q' && magic[1] == 'F' && magic[2] == 'I' && (magic[3] & 0xff) == 0xfb
          ? "qcow2" : "raw";
    }
  }

  static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }
}
