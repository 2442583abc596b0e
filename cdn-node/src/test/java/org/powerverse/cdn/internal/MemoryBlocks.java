package org.powerverse.cdn.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multihash;

/** Blocks in a map, for tests: a sink for importers, a source for readers. */
public final class MemoryBlocks implements BlockSink, BlockSource {

  private final Map<Multihash, byte[]> blocks = new LinkedHashMap<>();
  private List<Cid> roots = List.of();

  public static MemoryBlocks fromCar(Path car) throws IOException {
    MemoryBlocks out = new MemoryBlocks();
    try (InputStream in = Files.newInputStream(car); CarReader reader = CarReader.open(in)) {
      out.roots = reader.roots();
      CarReader.Section section;
      while ((section = reader.next()) != null) {
        out.blocks.put(section.block().cid().multihash(), section.block().data());
      }
    }
    return out;
  }

  public List<Cid> roots() {
    return roots;
  }

  public Cid root() {
    return roots.get(0);
  }

  @Override
  public void put(Cid cid, ByteBuffer data) {
    byte[] copy = new byte[data.remaining()];
    data.duplicate().get(copy);
    blocks.put(cid.multihash(), copy);
  }

  @Override
  public Optional<ByteBuffer> get(Cid cid) {
    return Optional.ofNullable(blocks.get(cid.multihash())).map(ByteBuffer::wrap);
  }

  public byte[] bytes(Cid cid) {
    return blocks.get(cid.multihash());
  }

  public int size() {
    return blocks.size();
  }

  public void remove(Cid cid) {
    blocks.remove(cid.multihash());
  }
}
