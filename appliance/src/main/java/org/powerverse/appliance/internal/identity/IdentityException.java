package org.powerverse.appliance.internal.identity;

/** The node's keys cannot be loaded; the message names the file and what to do. Start-up stops. */
public final class IdentityException extends Exception {
  public IdentityException(String message, Throwable cause) {
    super(message, cause);
  }
}
