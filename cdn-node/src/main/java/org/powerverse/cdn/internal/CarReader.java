package org.powerverse.cdn.internal;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.powerverse.cdn.Block;
import org.powerverse.cdn.Cid;

/**
 * Reads a CAR stream section by section (IPLD CARv1 spec; CARv2 spec for the v2 wrapper, whose
 * index is ignored). Holds one block at a time. Every block returned by {@link #next()} has been
 * checked against its CID, so a CAR from anywhere can feed the blockstore.
 */
public final class CarReader implements AutoCloseable {

  /** The CARv2 pragma: a CARv1-shaped header {@code {version: 2}} (CARv2 spec, "Pragma"). */
  static final byte[] V2_PRAGMA = HexFormat.of().parseHex("0aa16776657273696f6e02");
  /** Larger sections are refused: the ecosystem's blocks stay under 2 MiB (trustless gateway spec, "Block Limits"). */
  public static final int MAX_SECTION_BYTES = 8 * 1024 * 1024;
  private static final int MAX_HEADER_BYTES = 64 * 1024;

  /**
   * A block as it sits in the CAR.
   *
   * @param block the verified block
   * @param dataOffset where its data starts, counted from the start of the whole stream
   */
  public record Section(Block block, long dataOffset) {}

  private final CountingStream in;
  private final int version;
  private final List<Cid> roots;

  private CarReader(CountingStream in, int version, List<Cid> roots) {
    this.in = in;
    this.version = version;
    this.roots = roots;
  }

  /** Reads the header (and for CARv2 its pragma and fixed header) from {@code in}. */
  public static CarReader open(InputStream stream) throws IOException {
    CountingStream in = new CountingStream(stream, Long.MAX_VALUE);
    byte[] header = readHeader(in);
    if (Arrays.equals(prefixed(header), V2_PRAGMA)) {
      // CARv2 spec, "Header": 16 bytes of characteristics, then data offset, data size and index
      // offset as little-endian uint64.
      byte[] fixed = in.readNBytes(40);
      if (fixed.length != 40) {
        throw new EOFException("CARv2 header truncated");
      }
      long dataOffset = littleEndian(fixed, 16);
      long dataSize = littleEndian(fixed, 24);
      long skip = dataOffset - in.count;
      if (skip < 0 || dataSize < 0) {
        throw new IOException("CARv2 data offset " + dataOffset + " or size " + dataSize + " is invalid");
      }
      in.skipNBytes(skip);
      CountingStream payload = new CountingStream(in, dataSize);
      payload.count = in.count;
      byte[] inner = readHeader(payload);
      CarReader v1 = fromHeader(payload, inner);
      if (v1.version != 1) {
        throw new IOException("a CARv2 must wrap a CARv1 payload, found version " + v1.version);
      }
      return new CarReader(payload, 2, v1.roots);
    }
    return fromHeader(in, header);
  }

  private static byte[] prefixed(byte[] header) {
    byte[] out = new byte[header.length + 1];
    out[0] = (byte) header.length;
    System.arraycopy(header, 0, out, 1, header.length);
    return out;
  }

  private static CarReader fromHeader(CountingStream in, byte[] header) throws IOException {
    Object decoded;
    try {
      decoded = DagCbor.decode(header);
    } catch (IllegalArgumentException e) {
      throw new IOException("CAR header is not DAG-CBOR: " + e.getMessage(), e);
    }
    if (!(decoded instanceof Map<?, ?> map) || !(map.get("version") instanceof Number version)) {
      throw new IOException("CAR header is not a map with a version");
    }
    List<Cid> roots = new ArrayList<>();
    if (version.intValue() == 1) {
      if (!(map.get("roots") instanceof List<?> list)) {
        throw new IOException("CARv1 header has no roots list");
      }
      for (Object root : list) {
        if (!(root instanceof Cid cid)) {
          throw new IOException("CARv1 header root is not a CID: " + root);
        }
        roots.add(cid);
      }
    } else if (version.intValue() != 2) {
      throw new IOException("unsupported CAR version " + version);
    }
    return new CarReader(in, version.intValue(), List.copyOf(roots));
  }

  private static byte[] readHeader(InputStream in) throws IOException {
    long length = Varint.read(in);
    if (length < 0) {
      throw new EOFException("empty stream: no CAR header");
    }
    if (length == 0 || length > MAX_HEADER_BYTES) {
      throw new IOException("CAR header length " + length + " is out of range 1.." + MAX_HEADER_BYTES);
    }
    byte[] header = in.readNBytes((int) length);
    if (header.length != length) {
      throw new EOFException("CAR header truncated");
    }
    return header;
  }

  private static long littleEndian(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }

  /** 1 or 2: the container; the blocks are read the same way. */
  public int version() {
    return version;
  }

  public List<Cid> roots() {
    return roots;
  }

  /** The next verified block, or null at the end of the stream. */
  public Section next() throws IOException {
    long length = Varint.read(in);
    if (length < 0) {
      return null;
    }
    if (length == 0 || length > MAX_SECTION_BYTES) {
      throw new IOException("CAR section of " + length + " bytes at offset " + in.count + " is out of range 1.." + MAX_SECTION_BYTES);
    }
    long start = in.count;
    Cid cid = Cid.read(in);
    long dataLength = length - (in.count - start);
    if (dataLength < 0) {
      throw new IOException("CAR section at offset " + start + " is shorter than its CID");
    }
    long dataOffset = in.count;
    byte[] data = in.readNBytes((int) dataLength);
    if (data.length != dataLength) {
      throw new EOFException("CAR truncated inside the block " + cid);
    }
    try {
      return new Section(Block.verified(cid, data), dataOffset);
    } catch (IllegalArgumentException e) {
      throw new IOException("CAR block at offset " + dataOffset + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** Counts bytes read, and stops at a limit (a CARv2's data size). */
  private static final class CountingStream extends FilterInputStream {
    private long count;
    private long remaining;

    CountingStream(InputStream in, long limit) {
      super(in);
      this.remaining = limit;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        count++;
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        count += n;
        remaining -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining));
      count += skipped;
      remaining -= skipped;
      return skipped;
    }
  }
}
