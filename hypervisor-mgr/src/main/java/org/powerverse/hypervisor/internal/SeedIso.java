package org.powerverse.hypervisor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.powerverse.hypervisor.VmSpec;

/**
 * The cloud-init NoCloud seed: an ISO 9660 image with volume label {@code cidata} holding
 * {@code user-data} and {@code meta-data} (cloud-init docs, datasources/nocloud). Written by
 * xorriso (Debian package xorriso): no well-kept Java ISO 9660 writer is on Maven Central.
 */
final class SeedIso {
  private SeedIso() {}

  static String metaData(String name, UUID uuid, List<String> sshKeys) {
    StringBuilder meta = new StringBuilder()
        .append("instance-id: ").append(uuid).append('\n')
        .append("local-hostname: ").append(name).append('\n');
    if (!sshKeys.isEmpty()) {
      meta.append("public-keys:\n");
      // VmSpec.CloudInit allows one line per key; quoted so YAML reads it as one string.
      sshKeys.forEach(key -> meta.append("  - \"").append(key.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n"));
    }
    return meta.toString();
  }

  static String userData(VmSpec.CloudInit cloudInit) {
    return cloudInit.userData() == null ? "#cloud-config\n" : cloudInit.userData();
  }

  /** Writes the ISO to {@code target} atomically (a temporary file, then a rename). */
  static void write(Path target, String name, UUID uuid, VmSpec.CloudInit cloudInit) throws IOException {
    Path work = Files.createTempDirectory(target.getParent(), "." + name + "-seed");
    try {
      Path content = Files.createDirectory(work.resolve("cidata"));
      Files.writeString(content.resolve("user-data"), userData(cloudInit), StandardCharsets.UTF_8);
      Files.writeString(content.resolve("meta-data"), metaData(name, uuid, cloudInit.sshKeys()), StandardCharsets.UTF_8);
      Path iso = work.resolve("seed.iso");
      Path log = work.resolve("xorriso.log");
      Process process = new ProcessBuilder("xorriso", "-as", "mkisofs", "-quiet", "-output", iso.toString(),
          "-volid", "cidata", "-joliet", "-rock", content.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited;
      try {
        exited = process.waitFor(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted writing the seed ISO of " + name, e);
      }
      if (!exited || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("xorriso failed writing the seed ISO of " + name + ": " + Files.readString(log).strip());
      }
      Files.move(iso, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
