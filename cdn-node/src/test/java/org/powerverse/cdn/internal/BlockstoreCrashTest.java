package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of writes and evictions, three times over the same store: each reopen
 * finds every stored block hashing to its key, and at least the blocks the child reported.
 */
@Tag("integration")
class BlockstoreCrashTest {

  @TempDir
  Path dir;

  @Test
  void survivesKillDashNineWithNoCorruptBlock() throws Exception {
    for (int round = 0; round < 3; round++) {
      Process child = startChild(round);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        int target = 20 + 15 * round;
        String line;
        int written = 0;
        while (written < target && (line = out.readLine()) != null) {
          written = Integer.parseInt(line.trim());
        }
        assertEquals(target, written, "the child stopped early; its stderr is above");
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no LMDB close
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      } finally {
        child.destroyForcibly();
      }
      try (LmdbBlockstore store = LmdbBlockstore.open(dir, 8L << 20, Clock.systemUTC())) {
        long[] verified = store.verifyAll();
        assertTrue(verified[0] > 0, "blocks survived round " + round);
        assertEquals(0, verified[1], "corrupt blocks after kill -9 in round " + round);
        assertTrue(store.counters()[0] <= 8L << 20, "still within the bound");
      }
    }
  }

  private Process startChild(int round) throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"),
        BlockstoreCrashChild.class.getName(), dir.toString(), Long.toString(round)));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }
}
