package org.powerverse.appliance.internal.system;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Release versions as the build writes them: dotted numbers with an optional pre-release tag
 * ({@code 0.2.0}, {@code 0.2.0-SNAPSHOT}, {@code 1.10.3-rc.1}). Numbers compare numerically; a
 * pre-release sorts before its release (Semantic Versioning 2.0.0 §11, tags compared as text).
 */
final class Versions {

  private static final Pattern VERSION = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9}){0,3})(?:-([0-9A-Za-z.-]{1,64}))?");

  private Versions() {}

  record Version(int[] numbers, String preRelease) {}

  static Version parse(String text) {
    Matcher m = text == null ? null : VERSION.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a version like 1.2.3 or 1.2.3-rc.1");
    }
    return new Version(Arrays.stream(m.group(1).split("\\.")).mapToInt(Integer::parseInt).toArray(), m.group(2));
  }

  static int compare(String a, String b) {
    Version x = parse(a);
    Version y = parse(b);
    for (int i = 0; i < Math.max(x.numbers().length, y.numbers().length); i++) {
      int p = i < x.numbers().length ? x.numbers()[i] : 0;
      int q = i < y.numbers().length ? y.numbers()[i] : 0;
      if (p != q) {
        return Integer.compare(p, q);
      }
    }
    if (x.preRelease() == null || y.preRelease() == null) {
      return x.preRelease() == null ? (y.preRelease() == null ? 0 : 1) : -1;
    }
    return x.preRelease().compareTo(y.preRelease());
  }
}
