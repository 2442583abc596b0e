package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Content sniffing per the WHATWG MIME Sniffing standard (§7.1 "identifying a resource with an
 * unknown MIME type": markup after leading white space, case-insensitive tags ending in space or
 * '>'; magic numbers; §7.2 binary data bytes), on the bytes at the buffer's position.
 */
class ContentTypesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      <!DOCTYPE html><p>x             | text/html; charset=utf-8
      '  \t\n<HTML>'                  | text/html; charset=utf-8
      <a href=x>link</a>              | text/html; charset=utf-8
      <ab>                            | text/plain; charset=utf-8
      <html                           | text/plain; charset=utf-8
      <?XML version="1.0"?>           | text/xml; charset=utf-8
      plain words                     | text/plain; charset=utf-8
      """)
  void sniffsMarkupAndText(String content, String expected) {
    byte[] bytes = content.replace("\\t", "\t").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    assertEquals(expected, ContentTypes.sniff(ByteBuffer.wrap(bytes)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      89504e470d0a1a0a0000000d        | image/png
      ffd8ffe000104a464946            | image/jpeg
      474946383961                    | image/gif
      524946460000000057454250        | image/webp
      255044462d312e37                | application/pdf
      504b0304                        | application/zip
      1f8b0800                        | application/x-gzip
      0061736d01000000                | application/wasm
      0000001866747970                | application/octet-stream
      000000186674797069736f6d        | video/mp4
      1a45dfa3                        | video/webm
      68656c6c6f00776f726c64          | application/octet-stream
      68656c6c6f0a                    | text/plain; charset=utf-8
      """)
  void sniffsMagicNumbersAndBinaryBytes(String hex, String expected) {
    assertEquals(expected, ContentTypes.sniff(ByteBuffer.wrap(HexFormat.of().parseHex(hex))));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      <html>                          | text/html; charset=utf-8
      """)
  void readsFromThePositionAndLeavesItThere(String content, String expected) {
    ByteBuffer buffer = ByteBuffer.wrap(("\u0000\u0001" + content).getBytes(StandardCharsets.ISO_8859_1)).position(2);
    assertEquals(expected, ContentTypes.sniff(buffer));
    assertEquals(2, buffer.position());
  }
}
