package org.powerverse.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vectors from draft-msporny-base58-03 §5. */
class Base58Test {

  @ParameterizedTest
  @CsvSource({
    "48656c6c6f20576f726c6421, 2NEpo7TZRRrLZSi2U",
    "54686520717569636b2062726f776e20666f78206a756d7073206f76657220746865206c617a7920646f672e, USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z",
    "0000287fb4cd, 11233QC4",
  })
  void matchesTheDraftsVectors(String hex, String base58) {
    byte[] data = HexFormat.of().parseHex(hex);
    assertEquals(base58, Base58.encode(data));
    assertArrayEquals(data, Base58.decode(base58));
  }

  @org.junit.jupiter.api.Test
  void rejectsCharactersOutsideTheAlphabet() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Base58.decode("2NEpo0"));
    assertEquals("not base58btc: '0' at index 5", e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void emptyIsEmpty() {
    assertEquals("", Base58.encode(new byte[0]));
    assertArrayEquals(new byte[0], Base58.decode(""));
    assertEquals("1", Base58.encode("\0".getBytes(StandardCharsets.UTF_8)));
  }
}
