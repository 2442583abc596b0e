package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.powerverse.cdn.Cid;

/**
 * A dag-pb node (IPLD dag-pb spec): links and optional opaque data. Encoding writes Links before
 * Data as the spec orders them; decoding enforces the spec's "Protobuf Strictness": link fields
 * in order, no duplicate fields, no unknown fields or wire types, a Hash in every link that parses as a
 * CID, names in UTF-8. Data is a view into the block's bytes, not a copy.
 *
 * @param links in block order (never sorted on decode)
 * @param data the Data field, or null when absent
 */
public record PbNode(List<PbLink> links, ByteBuffer data) {

  private static final int NODE_DATA = 1;
  private static final int NODE_LINKS = 2;
  private static final int LINK_HASH = 1;
  private static final int LINK_NAME = 2;
  private static final int LINK_TSIZE = 3;

  public PbNode {
    links = List.copyOf(links);
    data = data == null ? null : data.asReadOnlyBuffer();
  }

  public static PbNode of(List<PbLink> links, byte[] data) {
    return new PbNode(links, data == null ? null : ByteBuffer.wrap(data));
  }

  public byte[] encode() {
    ProtoWriter out = new ProtoWriter(encodedSize());
    for (PbLink link : links) {
      out.bytesField(NODE_LINKS, encodeLink(link));
    }
    if (data != null) {
      out.bytesField(NODE_DATA, data);
    }
    return out.toByteArray();
  }

  private int encodedSize() {
    int size = data == null ? 0 : ProtoWriter.lenFieldSize(NODE_DATA, data.remaining());
    for (PbLink link : links) {
      size += ProtoWriter.lenFieldSize(NODE_LINKS, linkSize(link));
    }
    return size;
  }

  private static int linkSize(PbLink link) {
    int size = ProtoWriter.lenFieldSize(LINK_HASH, link.hash().byteLength());
    if (link.name() != null) {
      size += ProtoWriter.lenFieldSize(LINK_NAME, link.name().getBytes(StandardCharsets.UTF_8).length);
    }
    if (link.tsize() != null) {
      size += ProtoWriter.varintFieldSize(LINK_TSIZE, link.tsize());
    }
    return size;
  }

  private static byte[] encodeLink(PbLink link) {
    ProtoWriter out = new ProtoWriter(linkSize(link));
    out.bytesField(LINK_HASH, link.hash().bytes());
    if (link.name() != null) {
      out.bytesField(LINK_NAME, link.name().getBytes(StandardCharsets.UTF_8));
    }
    if (link.tsize() != null) {
      out.varintField(LINK_TSIZE, link.tsize());
    }
    return out.toByteArray();
  }

  /** Decodes a dag-pb block; the node's data is a view of {@code block}. */
  public static PbNode decode(ByteBuffer block) {
    ByteBuffer in = block.duplicate();
    List<PbLink> links = new ArrayList<>();
    ByteBuffer data = null;
    while (in.hasRemaining()) {
      long tag = Varint.read(in);
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (wireType != ProtoWriter.LEN || (field != NODE_DATA && field != NODE_LINKS)) {
        throw new DagPbException("unexpected field " + field + " with wire type " + wireType + " in PBNode");
      }
      ByteBuffer value = lengthDelimited(in, "PBNode field " + field);
      if (field == NODE_DATA) {
        if (data != null) {
          throw new DagPbException("duplicate Data field in PBNode");
        }
        data = value;
      } else {
        // dag-pb spec, "Protobuf Strictness" 2: encoders write Links first, but decoders accept
        // Data first too, since IPFS data exists in both forms.
        links.add(decodeLink(value));
      }
    }
    return new PbNode(Collections.unmodifiableList(links), data);
  }

  public static PbNode decode(byte[] block) {
    return decode(ByteBuffer.wrap(block));
  }

  private static PbLink decodeLink(ByteBuffer in) {
    Cid hash = null;
    String name = null;
    Long tsize = null;
    int lastField = 0;
    while (in.hasRemaining()) {
      long tag = Varint.read(in);
      int field = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      if (field <= lastField) {
        throw new DagPbException("PBLink field " + field + " out of order or repeated");
      }
      lastField = field;
      switch (field) {
        case LINK_HASH -> {
          requireWireType(wireType, ProtoWriter.LEN, "PBLink Hash");
          ByteBuffer bytes = lengthDelimited(in, "PBLink Hash");
          byte[] cidBytes = new byte[bytes.remaining()];
          bytes.get(cidBytes);
          try {
            hash = Cid.decode(cidBytes);
          } catch (IllegalArgumentException e) {
            throw new DagPbException("PBLink Hash is not a CID: " + e.getMessage());
          }
        }
        case LINK_NAME -> {
          requireWireType(wireType, ProtoWriter.LEN, "PBLink Name");
          name = utf8(lengthDelimited(in, "PBLink Name"));
        }
        case LINK_TSIZE -> {
          requireWireType(wireType, ProtoWriter.VARINT, "PBLink Tsize");
          tsize = Varint.read(in);
        }
        default -> throw new DagPbException("unexpected field " + field + " in PBLink");
      }
    }
    if (hash == null) {
      throw new DagPbException("PBLink without Hash");
    }
    return new PbLink(hash, name, tsize);
  }

  private static void requireWireType(int actual, int expected, String what) {
    if (actual != expected) {
      throw new DagPbException(what + " has wire type " + actual + ", expected " + expected);
    }
  }

  static ByteBuffer lengthDelimited(ByteBuffer in, String what) {
    long length = Varint.read(in);
    if (length > in.remaining()) {
      throw new DagPbException(what + " claims " + length + " bytes, " + in.remaining() + " left");
    }
    ByteBuffer value = in.slice(in.position(), (int) length);
    in.position(in.position() + (int) length);
    return value;
  }

  private static String utf8(ByteBuffer bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new DagPbException("PBLink Name is not UTF-8");
    }
  }

  /** The data as a fresh array (null when absent). */
  public byte[] dataBytes() {
    if (data == null) {
      return null;
    }
    byte[] out = new byte[data.remaining()];
    data.duplicate().get(out);
    return out;
  }

  /** A block that is not valid dag-pb. */
  public static final class DagPbException extends IllegalArgumentException {
    public DagPbException(String message) {
      super("invalid dag-pb: " + message);
    }
  }
}
