package org.powerverse.appliance.internal.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fingerprints this user has pinned, one "host:port fingerprint" line per node, in
 * ~/.config/powerverse/known_nodes (like ssh's known_hosts).
 */
final class KnownNodes {

  private final Path file;

  KnownNodes(Path file) {
    this.file = file;
  }

  static Path defaultFile(Map<String, String> env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("powerverse").resolve("known_nodes");
  }

  Path file() {
    return file;
  }

  Optional<String> find(String node) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.strip().split("\\s+");
      if (parts.length == 2 && parts[0].equals(node)) {
        return Optional.of(parts[1]);
      }
    }
    return Optional.empty();
  }

  /**
   * Pins {@code fingerprint} for {@code node}, replacing an earlier pin. A read-modify-write of the
   * whole file: serialised within this JVM (fleet commands pin many nodes at once) and across
   * processes by a lock file, so no pin is lost.
   */
  void pin(String node, String fingerprint) throws IOException {
    Files.createDirectories(file.getParent());
    synchronized (KnownNodes.class) {
      try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
              file.resolveSibling(file.getFileName() + ".lock"),
              java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
          var held = lock.lock()) {
        pinLocked(node, fingerprint);
      }
    }
  }

  private void pinLocked(String node, String fingerprint) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String[] parts = line.strip().split("\\s+");
        if (!(parts.length == 2 && parts[0].equals(node)) && !line.isBlank()) {
          lines.add(line);
        }
      }
    }
    lines.add(node + " " + fingerprint);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(temp, lines, StandardCharsets.UTF_8);
    Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
