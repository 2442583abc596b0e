package org.powerverse.chain;

/** A block that does not follow from its parent: wrong roots, invalid transactions, bad fields. */
public final class InvalidBlockException extends RuntimeException {

  public InvalidBlockException(String message) {
    super(message);
  }

  public InvalidBlockException(String message, Throwable cause) {
    super(message, cause);
  }
}
