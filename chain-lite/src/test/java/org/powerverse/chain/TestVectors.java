package org.powerverse.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads test-vector files laid out as RFCs print them: {@code name = value} lines, records
 * separated by blank lines, {@code #} comments. Values are hex unless read with {@link
 * Record#text}.
 */
public final class TestVectors {

  private TestVectors() {}

  public static List<Record> read(String resource) {
    try (InputStream in = TestVectors.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      List<Record> records = new ArrayList<>();
      Map<String, String> current = new LinkedHashMap<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        String trimmed = line.strip();
        if (trimmed.startsWith("#")) {
          continue;
        }
        if (trimmed.isEmpty()) {
          if (!current.isEmpty()) {
            records.add(new Record(current));
            current = new LinkedHashMap<>();
          }
          continue;
        }
        int eq = trimmed.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException(resource + ": not 'name = value': " + trimmed);
        }
        current.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
      }
      if (!current.isEmpty()) {
        records.add(new Record(current));
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public record Record(Map<String, String> fields) {
    public String text(String name) {
      String value = fields.get(name);
      if (value == null) {
        throw new IllegalArgumentException("vector has no field " + name + ": " + fields);
      }
      return value;
    }

    public byte[] hex(String name) {
      return HexFormat.of().parseHex(text(name));
    }

    @Override
    public String toString() {
      return fields.toString();
    }
  }
}
