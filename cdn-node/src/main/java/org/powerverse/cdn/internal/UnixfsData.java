package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The UnixFS {@code Data} message inside a dag-pb node's Data (UnixFS spec, "dag-pb Node").
 * Decoding is protobuf-lenient where the spec is (unknown fields skipped) and strict where it
 * matters for reading files: a Type must be present, and a file's blocksizes must match its links.
 *
 * @param type the node type
 * @param data the Data field (file bytes, symlink target, HAMT bitfield), a view; null if absent
 * @param filesize the filesize field; null if absent
 * @param blocksizes the blocksizes of the children of a file, in link order
 * @param hashType the HAMT hash function (multicodec); null if absent
 * @param fanout the HAMT fanout; null if absent
 */
public record UnixfsData(Type type, ByteBuffer data, Long filesize, List<Long> blocksizes, Long hashType, Long fanout) {

  /** UnixFS DataType. */
  public enum Type {
    RAW(0), DIRECTORY(1), FILE(2), METADATA(3), SYMLINK(4), HAMT_SHARD(5);

    final int code;

    Type(int code) {
      this.code = code;
    }

    static Type of(long code) {
      for (Type type : values()) {
        if (type.code == code) {
          return type;
        }
      }
      throw new UnixfsException("unknown UnixFS DataType " + code);
    }
  }

  /** The murmur3-x64-64 multicodec, the only HAMT hash in use (UnixFS spec, "HAMT Structure and Parameters"). */
  public static final long MURMUR3_X64_64 = 0x22;

  private static final int TYPE = 1;
  private static final int DATA = 2;
  private static final int FILESIZE = 3;
  private static final int BLOCKSIZES = 4;
  private static final int HASH_TYPE = 5;
  private static final int FANOUT = 6;

  public UnixfsData {
    blocksizes = List.copyOf(blocksizes);
    data = data == null ? null : data.asReadOnlyBuffer();
  }

  public static UnixfsData file(byte[] data, long filesize, List<Long> blocksizes) {
    return new UnixfsData(Type.FILE, data == null ? null : ByteBuffer.wrap(data), filesize, blocksizes, null, null);
  }

  public static UnixfsData directory() {
    return new UnixfsData(Type.DIRECTORY, null, null, List.of(), null, null);
  }

  /** Fields in field-number order, as the gogo-protobuf and protons encoders of boxo and helia write them. */
  public byte[] encode() {
    ProtoWriter out = new ProtoWriter(32 + (data == null ? 0 : data.remaining()) + 10 * blocksizes.size());
    out.varintField(TYPE, type.code);
    if (data != null) {
      out.bytesField(DATA, data);
    }
    if (filesize != null) {
      out.varintField(FILESIZE, filesize);
    }
    for (long size : blocksizes) {
      out.varintField(BLOCKSIZES, size);
    }
    if (hashType != null) {
      out.varintField(HASH_TYPE, hashType);
    }
    if (fanout != null) {
      out.varintField(FANOUT, fanout);
    }
    return out.toByteArray();
  }

  public static UnixfsData decode(ByteBuffer bytes) {
    ByteBuffer in = bytes.duplicate();
    Type type = null;
    ByteBuffer data = null;
    Long filesize = null;
    List<Long> blocksizes = new ArrayList<>();
    Long hashType = null;
    Long fanout = null;
    try {
      while (in.hasRemaining()) {
        long tag = Varint.read(in);
        int field = (int) (tag >>> 3);
        int wireType = (int) (tag & 7);
        switch (wireType) {
          case ProtoWriter.VARINT -> {
            long value = Varint.read(in);
            switch (field) {
              case TYPE -> type = Type.of(value);
              case FILESIZE -> filesize = value;
              case BLOCKSIZES -> blocksizes.add(value);
              case HASH_TYPE -> hashType = value;
              case FANOUT -> fanout = value;
              default -> { } // mode (7) and fields the node does not use
            }
          }
          case ProtoWriter.LEN -> {
            ByteBuffer value = PbNode.lengthDelimited(in, "UnixFS field " + field);
            if (field == DATA) {
              data = value;
            } else if (field == BLOCKSIZES) {
              while (value.hasRemaining()) { // packed encoding of the repeated field
                blocksizes.add(Varint.read(value));
              }
            }
          }
          case 5 -> skip(in, 4, field); // fixed32
          case 1 -> skip(in, 8, field); // fixed64
          default -> throw new UnixfsException("unsupported wire type " + wireType + " for UnixFS field " + field);
        }
      }
    } catch (IllegalArgumentException e) {
      if (e instanceof UnixfsException unixfs) {
        throw unixfs;
      }
      throw new UnixfsException("malformed UnixFS Data: " + e.getMessage());
    }
    if (type == null) {
      throw new UnixfsException("UnixFS Data without a Type");
    }
    return new UnixfsData(type, data, filesize, blocksizes, hashType, fanout);
  }

  private static void skip(ByteBuffer in, int length, int field) {
    if (in.remaining() < length) {
      throw new UnixfsException("UnixFS field " + field + " truncated");
    }
    in.position(in.position() + length);
  }

  public int dataLength() {
    return data == null ? 0 : data.remaining();
  }

  /**
   * The file's size in bytes: its own data plus its children's (UnixFS spec, "Blocksize"); the
   * filesize field when present must agree.
   */
  public long fileSize() {
    long size = dataLength();
    for (long blocksize : blocksizes) {
      size += blocksize;
    }
    return size;
  }

  /** Not UnixFS as the spec defines it. */
  public static final class UnixfsException extends IllegalArgumentException {
    public UnixfsException(String message) {
      super(message);
    }
  }
}
