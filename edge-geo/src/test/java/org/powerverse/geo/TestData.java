package org.powerverse.geo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Third-party test data in the shared folder beside the repository (read in place, never copied):
 * the system property {@code powerverse.shared} (set by surefire), else {@code POWERVERSE_SHARED}.
 */
public final class TestData {

  private TestData() {}

  public static Path shared() {
    String dir = System.getProperty("powerverse.shared");
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      dir = System.getenv("POWERVERSE_SHARED");
    }
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      throw new IllegalStateException("the shared test data folder is missing: set -Dpowerverse.shared or "
          + "POWERVERSE_SHARED to the folder holding testdata/ (got property "
          + System.getProperty("powerverse.shared") + ")");
    }
    return Path.of(dir);
  }

  /** A MaxMind test database, e.g. {@code GeoIP2-City-Test.mmdb} (see testdata/maxmind/README.md). */
  public static Path maxmind(String name) {
    Path file = shared().resolve("testdata/maxmind").resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing MaxMind test database " + file);
    }
    return file;
  }
}
