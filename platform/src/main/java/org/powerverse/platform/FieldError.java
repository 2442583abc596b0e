package org.powerverse.platform;

import java.util.Objects;

/**
 * One bad input, named so a client can point at it: {@code field} is a dotted path into the JSON
 * body ({@code disks[1].sizeGiB}) or a parameter's name, {@code in} says where it was.
 */
public record FieldError(String field, In in, String message) {

  /** Where the bad value was. */
  public enum In {
    body,
    path,
    query,
    header
  }

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(message, "message");
  }

  public static FieldError body(String field, String message) {
    return new FieldError(field, In.body, message);
  }

  public static FieldError query(String field, String message) {
    return new FieldError(field, In.query, message);
  }

  public static FieldError path(String field, String message) {
    return new FieldError(field, In.path, message);
  }
}
