package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Protocol Buffers wire format, writing side: just the varint and length-delimited fields dag-pb and UnixFS use. */
final class ProtoWriter {

  static final int VARINT = 0;
  static final int LEN = 2;

  private byte[] buffer;
  private int size;

  ProtoWriter(int capacity) {
    buffer = new byte[Math.max(16, capacity)];
  }

  ProtoWriter varintField(int field, long value) {
    varint(((long) field << 3) | VARINT);
    varint(value);
    return this;
  }

  ProtoWriter bytesField(int field, byte[] value) {
    return bytesField(field, ByteBuffer.wrap(value));
  }

  ProtoWriter bytesField(int field, ByteBuffer value) {
    varint(((long) field << 3) | LEN);
    varint(value.remaining());
    ensure(value.remaining());
    value.duplicate().get(buffer, size, value.remaining());
    size += value.remaining();
    return this;
  }

  private void varint(long value) {
    ensure(Varint.MAX_BYTES);
    size = Varint.write(value, buffer, size);
  }

  private void ensure(int more) {
    if (size + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
    }
  }

  byte[] toByteArray() {
    return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
  }

  /** Bytes a length-delimited field of {@code length} bytes takes, tag included. */
  static int lenFieldSize(int field, int length) {
    return Varint.size((long) field << 3) + Varint.size(length) + length;
  }

  static int varintFieldSize(int field, long value) {
    return Varint.size((long) field << 3) + Varint.size(value);
  }
}
