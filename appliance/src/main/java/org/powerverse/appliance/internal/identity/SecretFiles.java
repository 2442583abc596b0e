package org.powerverse.appliance.internal.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes secrets so they are never half-written, never readable by others and never overwritten:
 * the bytes go to a 0600 temporary file, are fsynced, then hard-linked to the final name (which
 * fails if it exists) and the directory is fsynced. A crash leaves either no file or the whole one.
 */
public final class SecretFiles {

  private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
  public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

  private SecretFiles() {}

  /** Creates {@code dir} (and parents) and makes it 0700. */
  public static void ensureDirectory(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
  }

  /**
   * Publishes {@code content} at {@code file} with mode 0600.
   *
   * @throws FileAlreadyExistsException if the file exists: secrets are never replaced
   */
  public static void create(Path file, byte[] content) throws IOException {
    Path temp = writeOwnerOnlyTemp(file, content);
    try {
      Files.createLink(file, temp);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(file.getParent());
  }

  /**
   * Replaces a secret atomically with mode 0600 from its first byte (a config fetched at boot may
   * hold tokens): readers see the old file or the new one, never a partial or readable one.
   */
  public static void replaceSecret(Path file, byte[] content) throws IOException {
    Path temp = writeOwnerOnlyTemp(file, content);
    try {
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(file.getParent());
  }

  /** Writes {@code content} durably to a 0600 temporary file beside {@code file}, created that way. */
  private static Path writeOwnerOnlyTemp(Path file, byte[] content) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.deleteIfExists(temp); // left by a crash of an earlier run with this pid
    try (FileChannel out = FileChannel.open(temp,
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(OWNER_ONLY))) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      out.force(true);
    }
    return temp;
  }

  /** Replaces a non-secret file atomically (a certificate whose key was lost). */
  public static void replace(Path file, byte[] content) throws IOException {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Files.write(temp, content);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(file.getParent());
  }

  /** Tightens a secret that others can read to 0600, and says so. */
  public static void ensureOwnerOnly(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      LOG.atWarn().addKeyValue("file", file.toString())
          .addKeyValue("mode", PosixFilePermissions.toString(permissions))
          .log("a secret was readable by others; set it to 0600");
      Files.setPosixFilePermissions(file, OWNER_ONLY);
    }
  }

  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
