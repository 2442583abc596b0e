package org.powerverse.platform;

import java.util.Objects;

/**
 * The config file cannot be used. The message starts with the key's full path
 * ({@code api.port: must be between 0 and 65535, got 70000}) or the file position of a syntax error.
 */
public final class ConfigException extends Exception {

  private final String path;

  public ConfigException(String source, String path, String reason) {
    super(source + ": " + (path.isEmpty() ? "" : path + ": ") + reason);
    this.path = Objects.requireNonNull(path, "path");
  }

  /** The dotted path of the offending key, empty for file-level errors. */
  public String path() {
    return path;
  }
}
