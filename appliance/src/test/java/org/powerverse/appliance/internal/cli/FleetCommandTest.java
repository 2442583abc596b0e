package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.platform.Json;
import picocli.CommandLine;

/** ./powerverse fleet over three live supervisors on loopback, one node that is down, one impostor. */
@Tag("integration")
class FleetCommandTest {

  @TempDir static Path root;
  @TempDir Path work;
  static final List<TestNode> NODES = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    for (int i = 0; i < 3; i++) {
      NODES.add(TestNode.start(Files.createDirectories(root.resolve("node" + i))));
    }
  }

  @AfterAll
  static void stop() {
    NODES.forEach(TestNode::close);
  }

  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return Json.MAPPER.readTree(out);
    }
  }

  private Run fleet(Path inventory, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine("fleet");
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("fleet", "--inventory=" + inventory,
        "--known-nodes=" + work.resolve("known_nodes")));
    all.addAll(List.of(args));
    return new Run(line.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  /** node0 pinned in the inventory, node1 and node2 trusted on first use. */
  private Path inventory(String... extraEntries) throws Exception {
    StringBuilder yaml = new StringBuilder("nodes:\n");
    for (int i = 0; i < NODES.size(); i++) {
      TestNode node = NODES.get(i);
      yaml.append("  - name: node").append(i).append('\n')
          .append("    url: https://127.0.0.1:").append(node.supervisor.apiPort()).append('\n')
          .append("    tokenFile: ").append(node.dataDir.resolve("admin.token")).append('\n');
      if (i == 0) {
        yaml.append("    fingerprint: \"").append(node.supervisor.identity().tlsFingerprint()).append("\"\n");
      }
    }
    for (String entry : extraEntries) {
      yaml.append(entry);
    }
    Path file = work.resolve("fleet.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void statusOfAHealthyFleetListsEveryNodeAndPinsTheNewOnes() throws Exception {
    Run run = fleet(inventory(), "--json", "status");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode nodes = run.json();
    assertEquals(3, nodes.size(), run.out());
    for (int i = 0; i < 3; i++) {
      JsonNode status = nodes.get(i);
      assertEquals("node" + i, status.path("name").asText(), "inventory order is kept");
      assertTrue(status.path("reached").asBoolean(), status.toString());
      assertEquals(NODES.get(i).supervisor.identity().nodeId(), status.path("nodeId").asText());
      assertTrue(status.path("score").asDouble() > 0, status.toString());
      TestNode.Response vms = NODES.get(i).get("/api/v1/vms");
      if (vms.status() == 404) {
        assertFalse(status.hasNonNull("vms"), "a node without the VM API shows no VM count: " + status);
      } else {
        assertEquals(vms.json().getJsonArray("items").size(), status.path("vms").asInt(), status.toString());
      }
    }
    // Every node is pinned in known_nodes (as ctl does, the inventory's fingerprint included), none
    // lost to the concurrent writers.
    List<String> pins = Files.readAllLines(work.resolve("known_nodes"));
    assertEquals(3, pins.size(), pins.toString());
    for (int i = 0; i < 3; i++) {
      assertTrue(pins.contains("127.0.0.1:" + NODES.get(i).supervisor.apiPort() + " "
          + NODES.get(i).supervisor.identity().tlsFingerprint()), pins.toString());
    }
  }

  @Test
  void aNodeThatIsDownFailsTheCommandAndIsNamedInTheTable() throws Exception {
    int port = closedPort();
    Path inventory = inventory("  - name: seat-down\n    url: https://127.0.0.1:" + port + "\n"
        + "    tokenFile: " + NODES.get(0).dataDir.resolve("admin.token") + "\n");
    Run run = fleet(inventory, "--parallel=2", "status");
    assertEquals(RootCommand.FAILED, run.exit(), run.out() + run.err());
    String downRow = run.out().lines().filter(l -> l.startsWith("seat-down")).findFirst().orElseThrow();
    assertTrue(downRow.contains("FAILED") && downRow.contains("connection refused"), downRow);
    assertTrue(run.out().lines().filter(l -> l.startsWith("node")).allMatch(l -> l.contains("ready")), run.out());
    assertTrue(run.out().contains("3 of 4 nodes ok, 1 failed"), run.out());
  }

  @Test
  void aNodeShowingAnotherCertificateThanItsPinIsRefused() throws Exception {
    // The inventory claims node1's address has node0's certificate: an impostor or recreated keys.
    Path inventory = work.resolve("impostor.yaml");
    Files.writeString(inventory, "nodes:\n  - name: impostor\n    url: https://127.0.0.1:"
        + NODES.get(1).supervisor.apiPort() + "\n    tokenFile: " + NODES.get(1).dataDir.resolve("admin.token")
        + "\n    fingerprint: \"" + NODES.get(0).supervisor.identity().tlsFingerprint() + "\"\n");
    Run run = fleet(inventory, "--json", "status");
    assertEquals(RootCommand.FAILED, run.exit(), run.out() + run.err());
    JsonNode status = run.json().get(0);
    assertFalse(status.path("reached").asBoolean());
    assertTrue(status.path("error").asText().contains("PRESENTED A DIFFERENT CERTIFICATE"), status.toString());
  }

  @Test
  void execRunsACtlCommandOnEveryNode() throws Exception {
    Run run = fleet(inventory(), "--json", "exec", "--", "node", "--json");
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode results = run.json();
    assertEquals(3, results.size());
    for (int i = 0; i < 3; i++) {
      assertEquals(0, results.get(i).path("exitCode").asInt(), results.get(i).toString());
      assertEquals(NODES.get(i).supervisor.identity().nodeId(), results.get(i).path("stdout").path("nodeId").asText());
    }
  }

  @Test
  void execReportsTheNodeWhoseCommandFails() throws Exception {
    Path wrongToken = work.resolve("wrong.token");
    Files.writeString(wrongToken, "pv_not-a-token-of-this-node\n");
    // node2 once more, by another name for its address, with a token it never issued.
    Path inventory = inventory("  - name: seat-wrong-token\n    url: https://localhost:"
        + NODES.get(2).supervisor.apiPort() + "\n    tokenFile: " + wrongToken + "\n");
    Run run = fleet(inventory, "exec", "--", "node");
    assertEquals(RootCommand.FAILED, run.exit(), run.out() + run.err());
    assertTrue(run.out().contains("3 of 4 nodes ok, 1 failed"), run.out());
    String block = run.out().substring(run.out().indexOf("== seat-wrong-token"));
    assertTrue(block.contains("exit") && block.contains("401"), block);
  }

  @Test
  void aBadInventoryNamesTheField() throws Exception {
    Path inventory = work.resolve("bad.yaml");
    Files.writeString(inventory, """
        nodes:
          - {name: a, url: "https://127.0.0.1:1", tokenFile: t}
          - {name: a, url: "https://127.0.0.1:2", tokenFile: t}
        """);
    Run run = fleet(inventory, "status");
    assertEquals(RootCommand.USAGE, run.exit(), run.err());
    assertTrue(run.err().contains("nodes[1].name"), run.err());

    Files.writeString(inventory, "nodes:\n  - {name: a, url: \"http://127.0.0.1:1\", tokenFile: t}\n");
    run = fleet(inventory, "status");
    assertEquals(RootCommand.USAGE, run.exit(), run.err());
    assertTrue(run.err().contains("url") && run.err().contains("https"), run.err());
  }
}
