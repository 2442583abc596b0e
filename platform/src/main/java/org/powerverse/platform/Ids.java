package org.powerverse.platform;

import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * Stable string ids that sort by creation time: ULIDs (48-bit milliseconds + 80 random bits, in
 * Crockford base32), so LMDB keys list oldest to newest without an index.
 */
public final class Ids {

  private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private Ids() {}

  public static String ulid(Clock clock, RandomGenerator random) {
    long millis = clock.millis();
    if (millis < 0 || millis >= (1L << 48)) {
      throw new IllegalStateException("clock out of ULID range: " + millis);
    }
    char[] out = new char[26];
    for (int i = 9; i >= 0; i--) {
      out[i] = CROCKFORD[(int) (millis & 31)];
      millis >>>= 5;
    }
    long high = random.nextLong() & ((1L << 40) - 1);
    long low = random.nextLong() & ((1L << 40) - 1);
    for (int i = 17; i >= 10; i--) {
      out[i] = CROCKFORD[(int) (high & 31)];
      high >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = CROCKFORD[(int) (low & 31)];
      low >>>= 5;
    }
    return new String(out);
  }
}
