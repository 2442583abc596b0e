package org.powerverse.geo;

import java.util.Objects;
import java.util.Optional;

/**
 * This node's location as resolved at start-up: the announced H3 cell (never coordinates), where it
 * came from and why.
 *
 * @param source which source gave it
 * @param h3Cell the cell announced (at the configured resolution or coarser); null when unknown
 * @param resolution the cell's resolution; -1 when unknown
 * @param detail in words: what was used or, when unknown, what was tried and why it failed
 */
public record Location(LocationSource source, String h3Cell, int resolution, String detail) {

  public Location {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(detail, "detail");
    if ((source == LocationSource.unknown) != (h3Cell == null)) {
      throw new IllegalArgumentException("a location has a cell exactly when its source is known: " + source + ", " + h3Cell);
    }
  }

  public static Location unknown(String detail) {
    return new Location(LocationSource.unknown, null, -1, detail);
  }

  public Optional<String> cell() {
    return Optional.ofNullable(h3Cell);
  }
}
