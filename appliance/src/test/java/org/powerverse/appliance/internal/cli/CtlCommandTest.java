package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;
import picocli.CommandLine;

/** ./powerverse ctl against a live node, with certificate pinning. */
@Tag("integration")
class CtlCommandTest {

  @TempDir static Path data;
  @TempDir Path home;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(data);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  record Run(int exit, String out, String err) {}

  private Run ctl(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("ctl",
        "--url=https://127.0.0.1:" + node.supervisor.apiPort(), "--token-file=" + data.resolve("admin.token"),
        "--known-nodes=" + home.resolve("known_nodes")));
    all.addAll(java.util.List.of(args));
    all.add("--json");
    int exit = line.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void firstUseTrustsAndPinsTheFingerprint() throws Exception {
    Run first = ctl("node");
    assertEquals(0, first.exit(), first.err());
    assertEquals(node.supervisor.identity().nodeId(), new JsonObject(first.out()).getString("nodeId"));
    String fingerprint = node.supervisor.identity().tlsFingerprint();
    assertTrue(first.err().contains("trusting 127.0.0.1:" + node.supervisor.apiPort() + " with TLS fingerprint " + fingerprint),
        first.err());
    assertEquals("127.0.0.1:" + node.supervisor.apiPort() + " " + fingerprint,
        Files.readString(home.resolve("known_nodes")).strip());
    Run second = ctl("node");
    assertEquals(0, second.exit(), second.err());
    assertTrue(second.err().isEmpty(), "a pinned node is trusted silently: " + second.err());
  }

  @Test
  void changedCertificateIsRefusedLoudly() throws Exception {
    String wrong = "AB:".repeat(31) + "CD";
    Files.writeString(home.resolve("known_nodes"), "127.0.0.1:" + node.supervisor.apiPort() + " " + wrong + "\n");
    Run run = ctl("node");
    assertEquals(RootCommand.UNTRUSTED, run.exit());
    assertTrue(run.err().contains("PRESENTED A DIFFERENT CERTIFICATE"), run.err());
    assertTrue(run.err().contains(node.supervisor.identity().tlsFingerprint()), run.err());
    assertEquals("", run.out(), "nothing was sent to an unverified server");
  }

  @Test
  void givenFingerprintMustMatch() {
    Run run = ctl("--fingerprint=" + "00".repeat(32), "node");
    assertEquals(RootCommand.UNTRUSTED, run.exit(), run.err());
    Run right = ctl("--fingerprint=" + node.supervisor.identity().tlsFingerprint().replace(":", "").toLowerCase(), "node");
    assertEquals(0, right.exit(), right.err());
  }

  @Test
  void problemsAreShownWithTheirFields() {
    Run run = ctl("tokens", "create", "--name=bad name!", "--role=reader");
    assertEquals(RootCommand.FAILED, run.exit());
    assertTrue(run.err().contains("Invalid request (400)"), run.err());
    assertTrue(run.err().contains("body name:"), run.err());
  }

  @Test
  void benchmarkWaitFollowsTheJobToItsResult() {
    Run run = ctl("host", "benchmark", "--wait");
    assertEquals(0, run.exit(), run.err());
    JsonObject job = new JsonObject(run.out());
    assertEquals("succeeded", job.getString("state"));
    assertTrue(job.getJsonObject("result").getJsonObject("memory").getDouble("copyGBps") > 0);
  }

  @Test
  void systemShowsWhyUpdatesAreUnavailableAndUpdateNeedsOneSource() throws Exception {
    Run system = ctl("system");
    assertEquals(0, system.exit(), system.err());
    JsonObject json = new JsonObject(system.out());
    assertEquals(false, json.getBoolean("updatesAvailable"));
    assertTrue(json.getString("unavailableReason").contains("pv.slot="), system.out());
    Run neither = ctl("system", "update");
    assertEquals(RootCommand.USAGE, neither.exit(), neither.err());
    Path bundle = Files.write(home.resolve("some.pvbundle"), new byte[1024]);
    Run refused = ctl("system", "update", bundle.toString());
    assertEquals(RootCommand.FAILED, refused.exit());
    assertTrue(refused.err().contains("(409)") && refused.err().contains("pv.slot="), refused.err());
  }

  @Test
  void unreachableNodeIsAClearError() {
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine();
    line.setErr(new PrintWriter(err, true));
    int exit = line.execute("ctl", "--url=https://127.0.0.1:1", "--token-file=" + data.resolve("admin.token"),
        "--known-nodes=" + home.resolve("known_nodes"), "node");
    assertEquals(RootCommand.FAILED, exit);
    assertTrue(err.toString().contains("cannot reach https://127.0.0.1:1"), err.toString());
  }
}
