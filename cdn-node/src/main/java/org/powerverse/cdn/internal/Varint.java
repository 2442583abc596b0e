package org.powerverse.cdn.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Unsigned varint per multiformats/unsigned-varint: little-endian groups of 7 bits, the high bit
 * set on every byte but the last. The spec caps a varint at 9 bytes (63 bits) and requires the
 * shortest encoding, so a trailing zero group ({@code 0x80 0x00}) is rejected.
 */
public final class Varint {

  /** The most bytes a varint may take (unsigned-varint spec, "Practical maximum"). */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  public static int size(long value) {
    checkValue(value);
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /** Writes {@code value} at {@code offset}; returns the offset after it. */
  public static int write(long value, byte[] out, int offset) {
    checkValue(value);
    while ((value & ~0x7FL) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  public static void write(long value, OutputStream out) throws IOException {
    out.write(encode(value));
  }

  /** Reads a varint at the buffer's position and advances it. */
  public static long read(ByteBuffer in) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (!in.hasRemaining()) {
        throw new IllegalArgumentException("varint truncated after " + i + " bytes");
      }
      int b = in.get() & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("varint not minimally encoded (trailing zero byte)");
        }
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Reads a varint from a stream; returns -1 at a clean end of stream (no byte of a varint read),
   * and throws {@link EOFException} when the stream ends inside one.
   */
  public static long read(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("varint truncated after " + i + " bytes");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IOException("varint not minimally encoded (trailing zero byte)");
        }
        return value;
      }
    }
    throw new IOException("varint longer than " + MAX_BYTES + " bytes");
  }

  private static void checkValue(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value must be within 0..2^63-1, got " + Long.toUnsignedString(value));
    }
  }
}
