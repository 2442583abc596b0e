package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The examples of multiformats/unsigned-varint's README. */
class VarintTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "1, 01", "127, 7f", "128, 8001", "255, ff01", "300, ac02", "16384, 808001",
      "9223372036854775807, ffffffffffffffff7f"})
  void encodesSpecExamples(long value, String hex) throws IOException {
    byte[] bytes = HexFormat.of().parseHex(hex);
    assertArrayEquals(bytes, Varint.encode(value));
    assertEquals(value, Varint.read(ByteBuffer.wrap(bytes)));
    assertEquals(value, Varint.read(new ByteArrayInputStream(bytes)));
    assertEquals(bytes.length, Varint.size(value));
  }

  @Test
  void rejectsNonMinimalOverlongAndTruncatedVarints() {
    assertThrows(IllegalArgumentException.class, () -> Varint.read(ByteBuffer.wrap(HexFormat.of().parseHex("8000"))));
    assertThrows(IllegalArgumentException.class, () -> Varint.read(ByteBuffer.wrap(HexFormat.of().parseHex("ffffffffffffffffff01"))));
    assertThrows(IllegalArgumentException.class, () -> Varint.read(ByteBuffer.wrap(HexFormat.of().parseHex("80"))));
    assertThrows(IOException.class, () -> Varint.read(new ByteArrayInputStream(HexFormat.of().parseHex("80"))));
    assertThrows(IllegalArgumentException.class, () -> Varint.encode(-1));
  }

  @Test
  void cleanEndOfStreamIsMinusOne() throws IOException {
    assertEquals(-1, Varint.read(new ByteArrayInputStream(new byte[0])));
  }
}
