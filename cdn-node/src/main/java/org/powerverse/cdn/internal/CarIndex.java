package org.powerverse.cdn.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multihash;

/**
 * A CAR file opened for random access: one pass verifies every block and records where its data
 * lies; blocks are then read back by position, so a CAR of any size and block order can be walked
 * without holding its blocks in memory.
 */
public final class CarIndex implements BlockSource, AutoCloseable {

  private record Location(long offset, int length) {}

  private final FileChannel channel;
  private final List<Cid> roots;
  private final int version;
  private final Map<Multihash, Location> locations;
  private final long blocks;

  private CarIndex(FileChannel channel, List<Cid> roots, int version, Map<Multihash, Location> locations, long blocks) {
    this.channel = channel;
    this.roots = roots;
    this.version = version;
    this.locations = locations;
    this.blocks = blocks;
  }

  /** Reads and verifies the whole file; throws IOException naming the first bad block. */
  public static CarIndex open(Path file) throws IOException {
    Map<Multihash, Location> locations = new HashMap<>();
    List<Cid> roots;
    int version;
    long blocks = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
         CarReader reader = CarReader.open(in)) {
      roots = reader.roots();
      version = reader.version();
      CarReader.Section section;
      while ((section = reader.next()) != null) {
        blocks++;
        locations.putIfAbsent(section.block().cid().multihash(),
            new Location(section.dataOffset(), section.block().data().length));
      }
    }
    return new CarIndex(FileChannel.open(file, StandardOpenOption.READ), roots, version, locations, blocks);
  }

  public List<Cid> roots() {
    return roots;
  }

  public int version() {
    return version;
  }

  /** Sections read, duplicates included. */
  public long blocks() {
    return blocks;
  }

  @Override
  public Optional<ByteBuffer> get(Cid cid) {
    Location location = locations.get(cid.multihash());
    if (location == null) {
      return Optional.empty();
    }
    ByteBuffer buffer = ByteBuffer.allocate(location.length);
    try {
      long position = location.offset;
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position);
        if (n < 0) {
          throw new IOException("CAR file shrank while reading " + cid);
        }
        position += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(buffer.flip());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
