package org.powerverse.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** multiformats/multibase's own test vectors (src/test/resources/vectors/multibase). */
class MultibaseTest {

  private static final Map<String, Multibase> NAMES = Map.of(
      "base16", Multibase.BASE16, "base16upper", Multibase.BASE16_UPPER,
      "base32", Multibase.BASE32, "base32upper", Multibase.BASE32_UPPER,
      "base36", Multibase.BASE36, "base36upper", Multibase.BASE36_UPPER,
      "base58btc", Multibase.BASE58BTC);

  static Stream<Arguments> canonicalVectors() {
    return Stream.of("basic", "leading_zero", "two_leading_zeros").flatMap(file -> vectors(file).stream());
  }

  static Stream<Arguments> caseInsensitiveVectors() {
    return vectors("case_insensitivity").stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("canonicalVectors")
  void encodesAndDecodesSpecVectors(String file, Multibase base, byte[] input, String encoded) {
    assertEquals(encoded, base.encode(input));
    assertArrayEquals(input, Multibase.decode(encoded));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("caseInsensitiveVectors")
  void decodesMixedCaseInCaseInsensitiveBases(String file, Multibase base, byte[] input, String encoded) {
    assertArrayEquals(input, Multibase.decode(encoded));
  }

  @Test
  void rejectsUnknownPrefixAndForeignCharacters() {
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("mAAAA"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("b0a"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("z0OIl"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode(""));
  }

  @Test
  void rejectsBase32WithNonZeroTrailingBits() {
    // "f" is one byte: 'my' carries 10 bits, the last two must be zero ("my" = 0x66 with 00).
    assertArrayEquals("f".getBytes(StandardCharsets.US_ASCII), Multibase.decode("bmy"));
    assertThrows(IllegalArgumentException.class, () -> Multibase.decode("bmz"));
  }

  /** Rows of a vector file for the bases the node implements: (file, base, input, encoded). */
  private static List<Arguments> vectors(String file) {
    String[] lines = TestData.resourceText("vectors/multibase/" + file + ".csv").split("\n");
    byte[] input = unescape(unquote(lines[0].split(",", 2)[1]));
    List<Arguments> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] row = lines[i].split(",", 2);
      Multibase base = NAMES.get(row[0].trim());
      if (base != null) {
        out.add(Arguments.of(file, base, input, unquote(row[1])));
      }
    }
    return out;
  }

  private static String unquote(String field) {
    String trimmed = field.trim();
    return trimmed.substring(1, trimmed.length() - 1);
  }

  private static byte[] unescape(String text) {
    return text.replace("\\x00", "\u0000").getBytes(StandardCharsets.ISO_8859_1);
  }
}
