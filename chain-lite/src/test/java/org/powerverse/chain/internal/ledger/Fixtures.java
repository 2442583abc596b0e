package org.powerverse.chain.internal.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Whitespace-separated lines of a fixture under src/test/resources, without comments. */
final class Fixtures {

  private Fixtures() {}

  static List<String[]> lines(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
          .filter(l -> !l.isEmpty() && !l.startsWith("#")).map(l -> l.split("\\s+")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String[] drop(String[] fields, int n) {
    return Arrays.copyOfRange(fields, n, fields.length);
  }
}
