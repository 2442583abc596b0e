package org.powerverse.chain.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Recursive Length Prefix (Ethereum Yellow Paper, Appendix B), strict: decoding accepts only the
 * canonical encoding, so every value has exactly one byte string and a transaction one hash. It
 * rejects a single byte below 0x80 wrapped as a string, long forms for short payloads, length
 * prefixes with leading zeros, lengths past the input, and trailing bytes; integers must have no
 * leading zero bytes (zero is the empty string), as geth's rlp package requires.
 */
public final class Rlp {

  private Rlp() {}

  /** A decoded item: a byte string or a list of items. */
  public sealed interface Item permits Bytes, ItemList {}

  public record Bytes(byte[] value) implements Item {}

  public record ItemList(List<Item> items) implements Item {}

  /** Why an input is not canonical RLP, or not the shape a decoder expected. */
  public static final class RlpException extends IllegalArgumentException {
    public RlpException(String message) {
      super(message);
    }
  }

  // --- encoding ---

  public static byte[] encodeBytes(byte[] value) {
    if (value.length == 1 && (value[0] & 0xFF) < 0x80) {
      return value.clone();
    }
    return withPrefix(0x80, value);
  }

  public static byte[] encodeInteger(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP integers are not negative, got " + value);
    }
    return encodeBytes(unsignedBytes(value));
  }

  public static byte[] encodeInteger(long value) {
    return encodeInteger(BigInteger.valueOf(value));
  }

  /** A list of already-encoded items. */
  public static byte[] encodeList(List<byte[]> encodedItems) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (byte[] item : encodedItems) {
      payload.writeBytes(item);
    }
    return withPrefix(0xC0, payload.toByteArray());
  }

  public static byte[] encodeList(byte[]... encodedItems) {
    return encodeList(Arrays.asList(encodedItems));
  }

  /** Big-endian without leading zeros; zero is empty. */
  public static byte[] unsignedBytes(BigInteger value) {
    byte[] raw = value.toByteArray();
    int start = 0;
    while (start < raw.length && raw[start] == 0) {
      start++;
    }
    return Arrays.copyOfRange(raw, start, raw.length);
  }

  private static byte[] withPrefix(int offset, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 9);
    if (payload.length < 56) {
      out.write(offset + payload.length);
    } else {
      byte[] length = unsignedBytes(BigInteger.valueOf(payload.length));
      out.write(offset + 55 + length.length);
      out.writeBytes(length);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  // --- decoding ---

  /** Decodes exactly one item spanning the whole input. */
  public static Item decode(byte[] input) {
    return decode(input, 0, input.length);
  }

  public static Item decode(byte[] input, int offset, int length) {
    int[] end = new int[1];
    Item item = decodeItem(input, offset, offset + length, end, 0);
    if (end[0] != offset + length) {
      throw new RlpException("trailing bytes after the RLP item: " + (offset + length - end[0]));
    }
    return item;
  }

  private static final int MAX_DEPTH = 16;

  private static Item decodeItem(byte[] in, int pos, int limit, int[] end, int depth) {
    if (depth > MAX_DEPTH) {
      throw new RlpException("RLP nested deeper than " + MAX_DEPTH);
    }
    if (pos >= limit) {
      throw new RlpException("RLP input ends where an item should start");
    }
    int prefix = in[pos] & 0xFF;
    if (prefix < 0x80) {
      end[0] = pos + 1;
      return new Bytes(new byte[] {(byte) prefix});
    }
    boolean isList = prefix >= 0xC0;
    int base = isList ? 0xC0 : 0x80;
    int payloadStart;
    long payloadLength;
    if (prefix - base < 56) {
      payloadStart = pos + 1;
      payloadLength = prefix - base;
    } else {
      int lengthBytes = prefix - base - 55;
      if (pos + 1 + lengthBytes > limit) {
        throw new RlpException("RLP length prefix runs past the input");
      }
      if (in[pos + 1] == 0) {
        throw new RlpException("RLP length with a leading zero byte");
      }
      payloadLength = 0;
      for (int i = 0; i < lengthBytes; i++) {
        payloadLength = (payloadLength << 8) | (in[pos + 1 + i] & 0xFF);
        if (payloadLength > Integer.MAX_VALUE) {
          throw new RlpException("RLP length too large");
        }
      }
      if (payloadLength < 56) {
        throw new RlpException("RLP long form for a payload of " + payloadLength + " bytes");
      }
      payloadStart = pos + 1 + lengthBytes;
    }
    if (payloadStart + payloadLength > limit) {
      throw new RlpException("RLP item of " + payloadLength + " bytes runs past the input");
    }
    int payloadEnd = (int) (payloadStart + payloadLength);
    end[0] = payloadEnd;
    if (!isList) {
      if (payloadLength == 1 && (in[payloadStart] & 0xFF) < 0x80) {
        throw new RlpException("RLP single byte below 0x80 encoded as a string");
      }
      return new Bytes(Arrays.copyOfRange(in, payloadStart, payloadEnd));
    }
    List<Item> items = new ArrayList<>();
    int cursor = payloadStart;
    int[] itemEnd = new int[1];
    while (cursor < payloadEnd) {
      items.add(decodeItem(in, cursor, payloadEnd, itemEnd, depth + 1));
      cursor = itemEnd[0];
    }
    return new ItemList(List.copyOf(items));
  }

  // --- typed reads for decoders ---

  public static List<Item> list(Item item, String field) {
    if (!(item instanceof ItemList list)) {
      throw new RlpException(field + ": expected an RLP list, got a byte string");
    }
    return list.items();
  }

  public static byte[] bytes(Item item, String field) {
    if (!(item instanceof Bytes bytes)) {
      throw new RlpException(field + ": expected an RLP byte string, got a list");
    }
    return bytes.value();
  }

  /** An unsigned integer of at most {@code maxBytes} bytes, canonical (no leading zero). */
  public static BigInteger integer(Item item, String field, int maxBytes) {
    byte[] value = bytes(item, field);
    if (value.length > maxBytes) {
      throw new RlpException(field + ": integer longer than " + maxBytes + " bytes");
    }
    if (value.length > 0 && value[0] == 0) {
      throw new RlpException(field + ": integer with a leading zero byte");
    }
    return new BigInteger(1, value);
  }

  /** A uint64 that Java holds as a non-negative long (below 2^63). */
  public static long uint63(Item item, String field) {
    BigInteger value = integer(item, field, 8);
    if (value.bitLength() > 63) {
      throw new RlpException(field + ": above 2^63 - 1: " + value);
    }
    return value.longValue();
  }
}
