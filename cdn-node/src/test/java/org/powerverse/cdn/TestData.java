package org.powerverse.cdn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find their fixtures: files next to them, and the shared third-party test data. */
public final class TestData {

  private TestData() {}

  /**
   * {@code /work/shared/testdata/ipfs-gateway-conformance/fixtures/<name>}: surefire sets the
   * system property {@code powerverse.shared}; a run outside Maven may set {@code POWERVERSE_SHARED}.
   */
  public static Path conformanceFixture(String name) {
    String shared = System.getProperty("powerverse.shared");
    if (shared == null || !Files.isDirectory(Path.of(shared, "testdata"))) {
      shared = System.getenv("POWERVERSE_SHARED");
    }
    assertTrue(shared != null, "neither the system property powerverse.shared nor POWERVERSE_SHARED names the shared test data");
    Path file = Path.of(shared, "testdata", "ipfs-gateway-conformance", "fixtures", name);
    assertTrue(Files.isRegularFile(file), "missing shared fixture " + file);
    return file;
  }

  /** A classpath resource next to the tests. */
  public static byte[] resource(String name) {
    try (InputStream in = TestData.class.getResourceAsStream("/" + name)) {
      assertTrue(in != null, "no test resource " + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String resourceText(String name) {
    return new String(resource(name), java.nio.charset.StandardCharsets.UTF_8);
  }
}
