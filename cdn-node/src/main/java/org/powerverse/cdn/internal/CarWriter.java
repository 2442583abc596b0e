package org.powerverse.cdn.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.powerverse.cdn.Cid;

/**
 * Writes a CARv1 stream (IPLD CARv1 spec): a varint-prefixed DAG-CBOR header
 * {@code {roots: [CID...], version: 1}}, then one {@code varint(len) CID bytes} section per block.
 * Nothing is buffered beyond the section being written.
 */
public final class CarWriter implements BlockSink {

  private final WritableByteChannel out;
  private long bytesWritten;
  private long blocksWritten;

  public CarWriter(WritableByteChannel out, List<Cid> roots) throws IOException {
    this.out = out;
    write(ByteBuffer.wrap(header(roots)));
  }

  public CarWriter(OutputStream out, List<Cid> roots) throws IOException {
    this(Channels.newChannel(out), roots);
  }

  /**
   * The header section, length prefix included. DAG-CBOR's canonical key order (shorter keys
   * first) puts {@code roots} before {@code version}.
   */
  public static byte[] header(List<Cid> roots) {
    if (roots.size() > 23) {
      throw new IllegalArgumentException("at most 23 roots fit this header encoder, got " + roots.size());
    }
    ProtoBytes cbor = new ProtoBytes();
    cbor.put(0xa2); // map of 2
    cbor.put(0x65).put("roots");
    cbor.put(0x80 | roots.size()); // array
    for (Cid root : roots) {
      byte[] cid = root.bytes();
      cbor.put(0xd8).put(DagCbor.CID_TAG); // tag 42
      int length = cid.length + 1; // the 0x00 identity-multibase prefix of a DAG-CBOR link
      if (length < 24) {
        cbor.put(0x40 | length);
      } else if (length < 256) {
        cbor.put(0x58).put(length);
      } else {
        throw new IllegalArgumentException("CID of " + cid.length + " bytes is too long for a CAR root");
      }
      cbor.put(0x00).put(cid);
    }
    cbor.put(0x67).put("version").put(0x01);
    byte[] body = cbor.toByteArray();
    byte[] prefix = Varint.encode(body.length);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  @Override
  public void put(Cid cid, ByteBuffer data) throws IOException {
    byte[] cidBytes = cid.bytes();
    byte[] prefix = Varint.encode((long) cidBytes.length + data.remaining());
    ByteBuffer head = ByteBuffer.allocate(prefix.length + cidBytes.length).put(prefix).put(cidBytes).flip();
    write(head);
    write(data.duplicate());
    blocksWritten++;
  }

  private void write(ByteBuffer buffer) throws IOException {
    bytesWritten += buffer.remaining();
    while (buffer.hasRemaining()) {
      out.write(buffer);
    }
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  public long blocksWritten() {
    return blocksWritten;
  }

  /** A growable byte array for the header. */
  private static final class ProtoBytes {
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

    ProtoBytes put(int b) {
      bytes.write(b);
      return this;
    }

    ProtoBytes put(byte[] data) {
      bytes.writeBytes(data);
      return this;
    }

    ProtoBytes put(String ascii) {
      return put(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    byte[] toByteArray() {
      return bytes.toByteArray();
    }
  }
}
