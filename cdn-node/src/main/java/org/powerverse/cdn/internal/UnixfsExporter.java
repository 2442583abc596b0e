package org.powerverse.cdn.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.powerverse.cdn.Cid;

/**
 * Writes a UnixFS DAG out as files: a file (or raw block) becomes a file, a directory (basic or
 * HAMT) a directory tree, a symlink a symlink. Entry names are checked so a hostile DAG cannot
 * write outside the target ({@code ..}, slashes, NUL are refused, UnixFS spec "Restricted Names").
 */
public final class UnixfsExporter {

  /** What an export wrote. */
  public record Result(long files, long directories, long bytes) {}

  private final DagReader reader;
  private long files;
  private long directories;
  private long bytes;

  private UnixfsExporter(DagReader reader) {
    this.reader = reader;
  }

  /** Exports the DAG at {@code root} to {@code target}, which must not exist yet. */
  public static Result export(DagReader reader, Cid root, Path target) throws IOException {
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(target.toString(), null, "refusing to overwrite");
    }
    UnixfsExporter exporter = new UnixfsExporter(reader);
    exporter.write(reader.node(root), target, 0);
    return new Result(exporter.files, exporter.directories, exporter.bytes);
  }

  private void write(DagNode node, Path target, int depth) throws IOException {
    if (depth > DagReader.MAX_DEPTH) {
      throw new IOException("directory tree deeper than " + DagReader.MAX_DEPTH + " at " + target);
    }
    switch (node.kind()) {
      case RAW, FILE -> {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          reader.readFile(node, 0, node.fileSize(), block -> { }, slice -> {
            while (slice.hasRemaining()) {
              bytes += out.write(slice);
            }
          });
        }
        files++;
      }
      case DIRECTORY, HAMT_SHARD -> {
        Files.createDirectory(target);
        directories++;
        Set<String> seen = new HashSet<>();
        for (DagReader.Entry entry : reader.entries(node)) {
          checkName(entry.name(), node.cid());
          if (seen.add(entry.name())) { // UnixFS spec: the first of duplicate names wins
            write(reader.node(entry.cid()), target.resolve(entry.name()), depth + 1);
          }
        }
      }
      case SYMLINK -> {
        byte[] targetBytes = new byte[node.unixfs().dataLength()];
        if (node.unixfs().data() != null) {
          node.unixfs().data().duplicate().get(targetBytes);
        }
        Files.createSymbolicLink(target, Path.of(new String(targetBytes, java.nio.charset.StandardCharsets.UTF_8)));
        files++;
      }
      default -> throw new IOException(node.cid() + " is a " + node.kind() + " block, not UnixFS; nothing to unpack");
    }
  }

  private static void checkName(String name, Cid directory) throws IOException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IOException("directory " + directory + " has an entry named \"" + name + "\", which cannot be a file name");
    }
  }
}
