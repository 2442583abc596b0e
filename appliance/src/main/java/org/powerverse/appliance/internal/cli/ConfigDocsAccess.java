package org.powerverse.appliance.internal.cli;

/** The config reference as `./powerverse config docs` prints it (for the test that keeps docs/ in step). */
public final class ConfigDocsAccess {
  private ConfigDocsAccess() {}

  public static String markdown() {
    return ConfigCommand.markdown();
  }
}
