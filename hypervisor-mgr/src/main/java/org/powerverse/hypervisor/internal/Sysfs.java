package org.powerverse.hypervisor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Small stateless reads of procfs/sysfs attribute files. Attributes that are missing or unreadable
 * (sysfs answers EINVAL for a down link's speed) are empty, never exceptions: absence is normal.
 */
final class Sysfs {

  private Sysfs() {}

  static Optional<String> read(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static OptionalLong readLong(Path file) {
    Optional<String> text = read(file);
    if (text.isEmpty()) {
      return OptionalLong.empty();
    }
    String value = text.get();
    try {
      return value.startsWith("0x") ? OptionalLong.of(Long.parseLong(value.substring(2), 16))
          : OptionalLong.of(Long.parseLong(value));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /** The last path element a symlink points to ({@code driver -> ../../bus/pci/drivers/nvidia}). */
  static Optional<String> linkName(Path link) {
    try {
      return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** Entries of a directory by name, sorted; empty if it does not exist. */
  static List<Path> list(Path dir) {
    List<Path> entries = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return entries;
    }
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      stream.forEach(entries::add);
    } catch (IOException e) {
      return entries;
    }
    entries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    return entries;
  }

  /** Where a symlink really leads, as a string (to tell USB disks from SATA); the link itself if unresolvable. */
  static String realPath(Path path) {
    try {
      return path.toRealPath().toString();
    } catch (IOException e) {
      return path.toString();
    }
  }
}
