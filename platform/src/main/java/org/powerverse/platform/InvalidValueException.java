package org.powerverse.platform;

import java.util.Objects;

/**
 * A config value its record rejected. {@code field} is relative to the record that threw it
 * ({@code port}, {@code allowlist[2]}); the loader prefixes the record's own path, so the operator
 * reads {@code hypervisor.gpu.allowlist[2]: not a PCI address}.
 */
public final class InvalidValueException extends IllegalArgumentException {

  private final String field;
  private final String reason;

  public InvalidValueException(String field, String reason) {
    super(field + ": " + reason);
    this.field = Objects.requireNonNull(field, "field");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public String field() {
    return field;
  }

  public String reason() {
    return reason;
  }
}
