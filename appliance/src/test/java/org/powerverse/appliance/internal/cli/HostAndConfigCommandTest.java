package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class HostAndConfigCommandTest {

  @TempDir Path dir;

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute(args);
    return new String[] {String.valueOf(exit), out.toString(), err.toString()};
  }

  @Test
  void hostReadsACapturedMachine() {
    String[] result = run("host", "--json", "--root=../hypervisor-mgr/src/test/fixtures/sysfs/gpu-multifunction");
    assertEquals("0", result[0], result[2]);
    JsonObject host = new JsonObject(result[1]);
    assertEquals("gpu-multifunction", host.getString("hostname"));
    assertEquals(2, host.getJsonArray("gpus").size());
  }

  @Test
  void hostTableShowsPassthroughReadiness() {
    String[] result = run("host", "--root=../hypervisor-mgr/src/test/fixtures/sysfs/server-shared-group");
    assertEquals("0", result[0], result[2]);
    assertTrue(result[1].contains("0000:43:00.0"), result[1]);
    assertTrue(result[1].contains("no: IOMMU group 30 also holds 0000:44:00.0"), result[1]);
  }

  @Test
  void configCheckNamesTheBadKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "api:\n  port: 99999\n");
    String[] result = run("config", "check", bad.toString());
    assertEquals(String.valueOf(RootCommand.BAD_CONFIG), result[0]);
    assertTrue(result[2].contains("api.port: must be between 0 and 65535, got 99999"), result[2]);
    Path good = dir.resolve("good.yaml");
    Files.writeString(good, "api:\n  port: 9443\n");
    assertEquals("0", run("config", "check", good.toString())[0]);
  }

  @Test
  void defaultsParseBackToTheDefaults() throws Exception {
    String[] result = run("config", "defaults");
    Path file = dir.resolve("defaults.yaml");
    Files.writeString(file, result[1]);
    assertEquals("0", run("config", "check", file.toString())[0]);
  }
}
