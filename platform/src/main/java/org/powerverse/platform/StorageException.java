package org.powerverse.platform;

/** LMDB could not do what was asked; the message names the environment and what to do about it. */
public final class StorageException extends RuntimeException {

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
