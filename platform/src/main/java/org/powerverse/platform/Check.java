package org.powerverse.platform;

import java.util.Collection;

/**
 * Checks for config records' constructors (STYLE.md §2, §8): each names the field and says what
 * was expected and what was found, by throwing {@link InvalidValueException}.
 */
public final class Check {

  private Check() {}

  public static int range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new InvalidValueException(field, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidValueException(field, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static double range(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new InvalidValueException(field, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public static String nonBlank(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new InvalidValueException(field, "must not be empty");
    }
    return value;
  }

  public static void that(boolean condition, String field, String reason) {
    if (!condition) {
      throw new InvalidValueException(field, reason);
    }
  }

  public static <T extends Collection<?>> T maxSize(String field, T values, int max) {
    if (values.size() > max) {
      throw new InvalidValueException(field, "must have at most " + max + " entries, got " + values.size());
    }
    return values;
  }

  public static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
