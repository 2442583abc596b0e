package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.NodeConfig.SystemConfig;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.appliance.internal.system.GrubEnv;
import org.powerverse.appliance.internal.system.UpdateBundle;
import org.powerverse.platform.Json;
import picocli.CommandLine;

/**
 * {@code fleet update} over three machines emulated on loopback: each is a real supervisor whose
 * slots are files, whose reboot command drops a marker, and a "machine" thread that, on the marker,
 * stops the supervisor, applies GRUB's slot rule (image-build/ab/grub-ab.cfg) to the boot environment
 * and kernel command line, and starts the supervisor again on the same data and port.
 */
@Tag("integration")
class FleetUpdateTest {

  @TempDir Path root;
  private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
  private final List<Machine> machines = new ArrayList<>();

  @AfterEach
  void powerOff() {
    machines.forEach(Machine::close);
  }

  /** One emulated appliance. */
  final class Machine implements AutoCloseable {
    final String name;
    final Path dir;
    final int port;
    final boolean fromImage;
    volatile TestNode node;
    final AtomicBoolean on = new AtomicBoolean(true);
    final Thread firmware;
    int boots;

    Machine(String name, boolean fromImage) throws Exception {
      this.name = name;
      this.dir = Files.createDirectories(root.resolve(name));
      this.fromImage = fromImage;
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Files.createDirectories(dir.resolve("esp"));
      GrubEnv.empty().set("ORDER", "A B").set("A_OK", "1").set("A_TRY", "0").set("A_STATE", "good")
          .set("A_VERSION", "0.1.0").set("B_OK", "0").set("B_STATE", "empty").write(dir.resolve("esp/grubenv"));
      Files.writeString(dir.resolve("update-keys"), HexFormat.of().formatHex(key.generatePublicKey().getEncoded()));
      Files.writeString(dir.resolve("cmdline"), fromImage ? "" : "root=/dev/sda1\n");
      grub();
      node = TestNode.start(dir.resolve("data"), this::config);
      firmware = Thread.ofVirtual().name(name + "-firmware").start(this::watchForReboot);
    }

    NodeConfig config(NodeConfig c) {
      SystemConfig system = new SystemConfig(null, dir.resolve("update-keys").toString(),
          dir.resolve("esp/grubenv").toString(),
          new SystemConfig.Slot(dir.resolve("root-a").toString(), dir.resolve("esp/A").toString()),
          new SystemConfig.Slot(dir.resolve("root-b").toString(), dir.resolve("esp/B").toString()),
          null, List.of("touch", dir.resolve("reboot-requested").toString()), dir.resolve("cmdline").toString());
      return c.withSystem(system).withApi(new NodeConfig.ApiConfig(port, "127.0.0.1", null, 64L * 1024, null, 1));
    }

    /** GRUB's rule: the first slot in ORDER with OK=1 and TRY<3, its attempt counted, named on the cmdline. */
    void grub() throws IOException {
      if (!fromImage) {
        return;
      }
      GrubEnv env = GrubEnv.read(dir.resolve("esp/grubenv"));
      for (String slot : env.get("ORDER", "A B").split(" ")) {
        int tries = Integer.parseInt(env.get(slot + "_TRY", "0"));
        if ("1".equals(env.get(slot + "_OK")) && tries < 3) {
          env.set(slot + "_TRY", String.valueOf(tries + 1)).write(dir.resolve("esp/grubenv"));
          Files.writeString(dir.resolve("cmdline"), "quiet pv.slot=" + slot + "\n");
          boots++;
          return;
        }
      }
      throw new IllegalStateException(name + ": nothing bootable");
    }

    private void watchForReboot() {
      Path marker = dir.resolve("reboot-requested");
      while (on.get()) {
        try {
          if (Files.deleteIfExists(marker)) {
            node.close();
            grub();
            node = TestNode.start(dir.resolve("data"), this::config);
          } else {
            Thread.sleep(20); // the emulated machine's power button, polled
          }
        } catch (Exception e) {
          if (on.get()) {
            throw new IllegalStateException(name + " did not reboot", e);
          }
        }
      }
    }

    @Override
    public void close() {
      on.set(false);
      try {
        firmware.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      node.close();
    }
  }

  private Path bundle(String version) throws IOException {
    List<UpdateBundle.Source> sources = new ArrayList<>();
    for (String role : List.of("rootfs", "kernel", "initrd")) {
      byte[] bytes = new byte[role.equals("rootfs") ? 3 << 20 : 2048];
      new java.util.Random(role.hashCode()).nextBytes(bytes);
      sources.add(new UpdateBundle.Source(role, Files.write(root.resolve(role), bytes)));
    }
    Path file = root.resolve("node-" + version + ".pvbundle");
    try (OutputStream out = Files.newOutputStream(file)) {
      UpdateBundle.create(out, key, version, Instant.parse("2026-11-25T00:00:00Z"), sources);
    }
    return file;
  }

  private Path inventory() throws IOException {
    StringBuilder yaml = new StringBuilder("nodes:\n");
    for (Machine m : machines) {
      yaml.append("  - name: ").append(m.name).append("\n    url: https://127.0.0.1:").append(m.port)
          .append("\n    tokenFile: ").append(m.dir.resolve("data/admin.token"))
          .append("\n    fingerprint: \"").append(m.node.supervisor.identity().tlsFingerprint()).append("\"\n");
    }
    return Files.writeString(root.resolve("fleet.yaml"), yaml);
  }

  private record Run(int exit, String out, String err) {}

  private Run fleet(String... args) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine("fleet");
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("fleet", "--inventory=" + inventory(),
        "--known-nodes=" + root.resolve("known_nodes")));
    all.addAll(List.of(args));
    return new Run(line.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }

  @Test
  void rollingUpdateRebootsEachMachineIntoItsNewSlotAndWaitsUntilItIsGood() throws Exception {
    for (int i = 0; i < 3; i++) {
      machines.add(new Machine("seat-" + i, true));
    }
    Path bundle = bundle("0.2.0");
    Run run = fleet("--json", "update", "--batch=2", "--timeout=120", bundle.toString());
    assertEquals(0, run.exit(), run.out() + run.err());
    JsonNode results = Json.MAPPER.readTree(run.out());
    for (int i = 0; i < 3; i++) {
      JsonNode r = results.get(i);
      assertEquals("updated", r.path("outcome").asText(), r.toString());
      assertEquals("B", r.path("slot").asText());
      assertEquals("0.2.0", r.path("version").asText());
      Machine m = machines.get(i);
      assertEquals(2, m.boots, m.name + " rebooted once");
      GrubEnv env = GrubEnv.read(m.dir.resolve("esp/grubenv"));
      assertEquals("good", env.get("B_STATE"), m.name + " " + env.asMap());
      assertEquals("0", env.get("B_TRY"), "the supervisor confirmed the boot");
      assertEquals("B A", env.get("ORDER"));
      assertTrue(Files.readString(m.dir.resolve("cmdline")).contains("pv.slot=B"));
      assertEquals(Files.size(root.resolve("rootfs")), Files.size(m.dir.resolve("root-b")));
    }
  }

  @Test
  void theFirstFailureStopsTheRollout() throws Exception {
    machines.add(new Machine("seat-0", true));
    machines.add(new Machine("laptop", false)); // not booted from the image: cannot take updates
    machines.add(new Machine("seat-2", true));
    Run run = fleet("update", "--timeout=120", bundle("0.2.0").toString());
    assertEquals(RootCommand.FAILED, run.exit(), run.out() + run.err());
    String out = run.out();
    assertTrue(out.lines().anyMatch(l -> l.startsWith("seat-0") && l.contains("updated to 0.2.0 (slot B)")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("laptop") && l.contains("FAILED: updates unavailable")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("seat-2") && l.contains("skipped")), out);
    assertEquals(1, machines.get(2).boots, "seat-2 was never touched");
    assertEquals("empty", GrubEnv.read(machines.get(2).dir.resolve("esp/grubenv")).get("B_STATE"));
  }
}
