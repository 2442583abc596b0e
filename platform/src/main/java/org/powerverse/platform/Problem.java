package org.powerverse.platform;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * An RFC 9457 problem document ({@code application/problem+json}). {@code type} is a stable URN
 * per kind of problem ({@code urn:powerverse:problem:invalid-request}), listed in docs/api.md;
 * {@code errors} names each bad field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";
  public static final String TYPE_PREFIX = "urn:powerverse:problem:";

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(title, "title");
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a problem's status must be 4xx or 5xx, got " + status);
    }
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public static Problem of(String kind, String title, int status, String detail) {
    return new Problem(TYPE_PREFIX + kind, title, status, detail, List.of());
  }
}
