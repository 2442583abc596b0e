package org.powerverse.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's startup cache (JDK 25+: AOT cache; 21–24: AppCDS archive) is made from this build and
 * loads. Both ways it can break are silent at run time: the JVM's cache assembly can crash and leave
 * an empty file while the training run exits 0 (it did: an AOT-linked lambda to a class the cache
 * excludes), and a cache that does not map is ignored without a word, costing a third of start-up.
 */
@Tag("integration")
class StartupCacheTest {

  @TempDir Path work;

  @Test
  void theLauncherTrainsACacheThatLoads() throws Exception {
    Path repo = Path.of(System.getProperty("powerverse.repo", "..")).toAbsolutePath().normalize();
    Path lib = repo.resolve("appliance/target/dist/lib");
    assertTrue(Files.isDirectory(lib), "the distribution is built before this module's tests: " + lib);
    Path dist = Files.createDirectory(work.resolve("dist"));
    Files.createSymbolicLink(dist.resolve("lib"), lib);
    Path log = work.resolve("launcher.log");

    ProcessBuilder launcher = new ProcessBuilder("bash", repo.resolve("powerverse").toString(), "--train-startup-cache")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    launcher.environment().put("POWERVERSE_DIST", dist.toString());
    launcher.environment().put("JAVA_HOME", ProcessHandle.current().info().command()
        .map(java -> Path.of(java).getParent().getParent().toString()).orElseThrow());
    launcher.environment().remove("POWERVERSE_STARTUP_CACHE");
    Process process = launcher.start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), "training did not finish in 5 minutes");

    String output = Files.readString(log);
    Path trainLog = dist.resolve("train.log");
    String training = Files.exists(trainLog) ? Files.readString(trainLog) : "(no train.log)";
    assertEquals(0, process.exitValue(), "the launcher could not make a cache that loads:\n" + output + "\n" + training);
    Path cache = dist.resolve(Runtime.version().feature() >= 25 ? "powerverse.aot" : "powerverse.jsa");
    assertTrue(Files.size(cache) > 1 << 20, "the cache " + cache + " is " + Files.size(cache) + " bytes");
    assertTrue(training.contains("trained"), "the training run exercised start-up:\n" + training);
  }
}
