package org.powerverse.appliance.internal.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.powerverse.appliance.internal.identity.SecretFiles;

/**
 * GRUB's environment block (the file {@code grub-editenv} and GRUB's {@code load_env}/{@code save_env}
 * read and write): exactly 1024 bytes, the signature line {@code # GRUB Environment Block}, then
 * {@code name=value} lines, padded with {@code #}. GRUB rewrites the block in place and never changes
 * its size, so a block must stay 1024 bytes. Values escape {@code \} and newline with a backslash, as
 * grub-core/lib/envblk.c does.
 */
public final class GrubEnv {

  public static final int SIZE = 1024;
  static final String SIGNATURE = "# GRUB Environment Block\n";
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Map<String, String> values;

  private GrubEnv(Map<String, String> values) {
    this.values = values;
  }

  public static GrubEnv empty() {
    return new GrubEnv(new LinkedHashMap<>());
  }

  /** Parses a block; anything but a well-formed 1024-byte block is an {@link IOException} naming why. */
  public static GrubEnv parse(byte[] block) throws IOException {
    if (block.length != SIZE) {
      throw new IOException("a GRUB environment block is " + SIZE + " bytes, this one " + block.length);
    }
    String text = new String(block, StandardCharsets.ISO_8859_1);
    if (!text.startsWith(SIGNATURE)) {
      throw new IOException("not a GRUB environment block (no '" + SIGNATURE.strip() + "' line)");
    }
    Map<String, String> values = new LinkedHashMap<>();
    int at = SIGNATURE.length();
    while (at < text.length()) {
      if (text.charAt(at) == '#') { // padding, or a comment line GRUB skips
        int end = text.indexOf('\n', at);
        if (end < 0) {
          break;
        }
        at = end + 1;
        continue;
      }
      StringBuilder line = new StringBuilder();
      int i = at;
      for (; i < text.length() && text.charAt(i) != '\n'; i++) {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < text.length()) {
          c = text.charAt(++i);
        }
        line.append(c);
      }
      if (i == text.length()) {
        throw new IOException("the GRUB environment block's last variable has no end of line");
      }
      int eq = line.indexOf("=");
      if (eq <= 0) {
        throw new IOException("the GRUB environment block has a line without name=value: " + line);
      }
      values.put(line.substring(0, eq), line.substring(eq + 1));
      at = i + 1;
    }
    return new GrubEnv(values);
  }

  public static GrubEnv read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /** The block's bytes: the variables in insertion order, padded with {@code #} to 1024 bytes. */
  public byte[] toBytes() {
    StringBuilder text = new StringBuilder(SIGNATURE);
    values.forEach((name, value) -> {
      text.append(name).append('=');
      for (char c : value.toCharArray()) {
        if (c == '\\' || c == '\n') {
          text.append('\\');
        }
        text.append(c);
      }
      text.append('\n');
    });
    if (text.length() > SIZE) {
      throw new IllegalStateException("the GRUB environment needs " + text.length() + " bytes, more than the "
          + SIZE + " of its block");
    }
    text.append("#".repeat(SIZE - text.length()));
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Replaces the file atomically (a new file renamed over it, synced) so that a power cut leaves the
   * old block or the new one. GRUB itself overwrites the block in place; both are whole blocks.
   */
  public void write(Path file) throws IOException {
    SecretFiles.replace(file, toBytes());
  }

  public String get(String name) {
    return values.get(name);
  }

  public String get(String name, String orElse) {
    return values.getOrDefault(name, orElse);
  }

  public GrubEnv set(String name, String value) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a GRUB variable name: " + name);
    }
    if (value.chars().anyMatch(c -> c > 0xFF)) {
      throw new IllegalArgumentException("GRUB variables hold Latin-1 text; " + name + " has " + value);
    }
    values.put(name, value);
    return this;
  }

  public GrubEnv remove(String name) {
    values.remove(name);
    return this;
  }

  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(values);
  }
}
