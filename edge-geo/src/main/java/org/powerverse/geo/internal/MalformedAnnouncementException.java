package org.powerverse.geo.internal;

/** An announcement envelope that is not what docs/geo.md specifies; {@code field} names where. */
public final class MalformedAnnouncementException extends IllegalArgumentException {

  private final String field;

  public MalformedAnnouncementException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
