package org.powerverse.chain;

/** A transaction that is malformed or not acceptable; the message says what and why. */
public class InvalidTransactionException extends IllegalArgumentException {

  public InvalidTransactionException(String message) {
    super(message);
  }

  public InvalidTransactionException(String message, Throwable cause) {
    super(message, cause);
  }
}
