package org.powerverse.cdn.internal;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.powerverse.cdn.Cid;

/**
 * Reads DAG-CBOR (IPLD dag-cbor spec) into plain Java values: maps with string keys (in block
 * order), lists, strings, byte arrays, numbers, booleans, null, and {@link Cid} for links (CBOR
 * tag 42 over the CID bytes with a leading 0x00). Used for pathing through DAG-CBOR and for
 * finding its links; the node never writes DAG-CBOR beyond the CAR header.
 */
public final class DagCbor {

  /** CBOR tag of an IPLD link (dag-cbor spec, "Links"). */
  public static final int CID_TAG = 42;

  private static final CBORFactory FACTORY = new CBORFactory();

  private DagCbor() {}

  public static Object decode(ByteBuffer block) {
    byte[] bytes = new byte[block.remaining()];
    block.duplicate().get(bytes);
    return decode(bytes);
  }

  public static Object decode(byte[] bytes) {
    try (CBORParser parser = (CBORParser) FACTORY.createParser(bytes)) {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw new IllegalArgumentException("invalid dag-cbor: empty block");
      }
      Object value = value(parser, token);
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("invalid dag-cbor: bytes after the first item");
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid dag-cbor: " + e.getMessage(), e);
    }
  }

  private static Object value(CBORParser parser, JsonToken token) throws IOException {
    int tag = parser.getCurrentTag();
    switch (token) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          if (map.containsKey(key)) {
            throw new IllegalArgumentException("invalid dag-cbor: duplicate map key \"" + key + "\"");
          }
          map.put(key, value(parser, parser.nextToken()));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        JsonToken next;
        while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
          list.add(value(parser, next));
        }
        return list;
      }
      case VALUE_EMBEDDED_OBJECT -> {
        byte[] bytes = parser.getBinaryValue();
        if (tag == CID_TAG) {
          if (bytes.length == 0 || bytes[0] != 0) {
            throw new IllegalArgumentException("invalid dag-cbor: a link must start with the 0x00 multibase prefix");
          }
          return Cid.decode(java.util.Arrays.copyOfRange(bytes, 1, bytes.length));
        }
        return bytes;
      }
      case VALUE_STRING -> {
        return parser.getText();
      }
      case VALUE_NUMBER_INT -> {
        return parser.getNumberValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return parser.getDoubleValue();
      }
      case VALUE_TRUE -> {
        return true;
      }
      case VALUE_FALSE -> {
        return false;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IllegalArgumentException("invalid dag-cbor: unexpected " + token);
    }
  }

  /** Visits every link in a decoded value, in document order (depth-first). */
  public static void forEachLink(Object value, Consumer<Cid> visitor) {
    if (value instanceof Cid cid) {
      visitor.accept(cid);
    } else if (value instanceof Map<?, ?> map) {
      map.values().forEach(v -> forEachLink(v, visitor));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> forEachLink(v, visitor));
    }
  }
}
