package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.appliance.internal.TestNode;

/**
 * /api/v1/vms over HTTPS against a real supervisor driving the real libvirtd (qemu:///system,
 * QEMU TCG) with the offline test guest: every answer is checked against the served contract.
 * Skips only when libvirtd does not answer (as root, scripts/setup/libvirt.sh starts it).
 */
@Tag("integration")
class VmApiTest {
  static final String URI = "qemu:///system";
  static TestNode node;
  static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    try {
      new org.libvirt.Connect(URI).close();
    } catch (org.libvirt.LibvirtException | UnsatisfiedLinkError e) {
      assumeTrue(false, "libvirtd is not reachable at " + URI + " (" + e.getMessage()
          + "); as root, scripts/setup/libvirt.sh installs and starts it");
    }
    Path guest = buildGuest();
    // QEMU runs as libvirt-qemu: the data directory must be traversable (a @TempDir is 0700).
    Path base = Files.createDirectories(Path.of("target", "vm-api").toAbsolutePath());
    dataDir = Files.createDirectories(base.resolve(HexFormat.of().formatHex(new SecureRandom().generateSeed(4))));
    for (Path dir : java.util.List.of(base, dataDir)) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }
    node = TestNode.start(dataDir, config -> config.withHypervisor(config.hypervisor().withLibvirtUri(URI)));
    Path images = dataDir.resolve("hypervisor").resolve("images");
    assertTrue(Files.isDirectory(images), images + " was not made by the hypervisor subsystem");
    Files.copy(guest.resolve("vmlinuz"), images.resolve("guest-kernel"));
    Files.copy(guest.resolve("initrd.gz"), images.resolve("guest-initrd"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  static Path buildGuest() throws Exception {
    Path script = Path.of("..", "hypervisor-mgr", "src", "test", "guest", "build-guest.sh").toAbsolutePath();
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "powerverse", "guest");
    Path log = Files.createDirectories(Path.of("target")).resolve("build-guest.log");
    Process build = new ProcessBuilder(script.toString(), cache.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0) {
      fail("build-guest.sh failed (it needs apt lists: apt-get update): " + Files.readString(log));
    }
    return cache;
  }

  static String spec(String name) throws Exception {
    return new String(VmApiTest.class.getResourceAsStream("/vms/guest-vm.json").readAllBytes(), StandardCharsets.UTF_8)
        .replace("VM_NAME", name);
  }

  static JsonObject awaitJob(TestNode.Response accepted) throws Exception {
    String id = accepted.json().getString("id");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      TestNode.Response job = node.get("/api/v1/jobs/" + id);
      assertEquals(200, job.status(), job.body());
      String state = job.json().getString("state");
      if (state.equals("succeeded") || state.equals("failed") || state.equals("cancelled")) {
        node.assertMatchesContract("getJob", job);
        return job.json();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not end within 2 minutes");
  }

  static void awaitMarker(String vm, int occurrences) throws Exception {
    Path log = dataDir.resolve("hypervisor/vms/logs/" + vm + ".serial.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String text = "";
    while (System.nanoTime() < deadline) {
      text = Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
      if (text.split("POWERVERSE-GUEST-UP", -1).length - 1 >= occurrences) {
        return;
      }
      Thread.sleep(100);
    }
    fail("no POWERVERSE-GUEST-UP x" + occurrences + " in " + log + "; tail: " + text);
  }

  @Test
  void createBootShutdownStartDeleteThroughTheApi() throws Exception {
    String vm = "pv-api-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
    TestNode.Response accepted = node.post("/api/v1/vms", node.adminToken, spec(vm));
    assertEquals(202, accepted.status(), accepted.body());
    node.assertMatchesContract("createVm", accepted);
    JsonObject created = awaitJob(accepted);
    assertEquals("succeeded", created.getString("state"), created.encode());
    awaitMarker(vm, 1);

    TestNode.Response got = node.get("/api/v1/vms/" + vm);
    assertEquals(200, got.status(), got.body());
    node.assertMatchesContract("getVm", got);
    assertEquals("running", got.json().getString("state"));
    assertEquals("running", got.json().getString("desired"));

    TestNode.Response list = node.get("/api/v1/vms");
    node.assertMatchesContract("listVms", list);
    assertTrue(list.body().contains("\"" + vm + "\""), list.body());

    TestNode.Response again = node.post("/api/v1/vms", node.adminToken, spec(vm));
    assertEquals(409, again.status(), again.body());
    node.assertMatchesContract("createVm", again);
    assertEquals("name", again.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    TestNode.Response shutdown = node.post("/api/v1/vms/" + vm + "/shutdown?timeoutSeconds=1", node.adminToken, null);
    assertEquals(202, shutdown.status(), shutdown.body());
    node.assertMatchesContract("vmAction", shutdown);
    JsonObject shut = awaitJob(shutdown);
    assertEquals("succeeded", shut.getString("state"), shut.encode());
    // The busybox guest ignores the ACPI power button: the timeout forced it off.
    assertTrue(shut.getJsonObject("result").getBoolean("forced"), shut.encode());
    assertEquals("shutoff", node.get("/api/v1/vms/" + vm).json().getString("state"));

    TestNode.Response started = node.post("/api/v1/vms/" + vm + "/start", node.adminToken, null);
    assertEquals(200, started.status(), started.body());
    node.assertMatchesContract("vmAction", started);
    assertEquals("running", started.json().getString("state"));
    awaitMarker(vm, 2);

    TestNode.Response deleted = node.post("/api/v1/vms/" + vm + "/delete", node.adminToken, null);
    assertEquals(202, deleted.status(), deleted.body());
    assertEquals("succeeded", awaitJob(deleted).getString("state"));
    TestNode.Response gone = node.get("/api/v1/vms/" + vm);
    assertEquals(404, gone.status(), gone.body());
    node.assertMatchesContract("getVm", gone);
    try (var files = Files.list(dataDir.resolve("hypervisor/vms/pool"))) {
      assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith(vm + "-")), "volumes left in the pool");
    }
  }

  @Test
  void problemsNameTheField() throws Exception {
    TestNode.Response tooBig = node.post("/api/v1/vms", node.adminToken,
        spec("pv-api-big").replace("\"memoryMiB\": 256", "\"memoryMiB\": 4194304"));
    assertEquals(422, tooBig.status(), tooBig.body());
    node.assertMatchesContract("createVm", tooBig);
    assertEquals("memoryMiB", tooBig.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    TestNode.Response noImage = node.post("/api/v1/vms", node.adminToken,
        spec("pv-api-noimage").replace("\"kernel\": \"guest-kernel\"", "\"kernel\": \"no-such-kernel\""));
    assertEquals(422, noImage.status(), noImage.body());
    assertEquals("boot.kernel", noImage.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    TestNode.Response badGpu = node.post("/api/v1/vms", node.adminToken,
        spec("pv-api-gpu").replace("\"vcpus\": 1,", "\"vcpus\": 1, \"gpus\": [\"0000:99:00.0\"],"));
    assertEquals(422, badGpu.status(), badGpu.body());
    assertEquals("gpus[0]", badGpu.json().getJsonArray("errors").getJsonObject(0).getString("field"));

    TestNode.Response unknown = node.post("/api/v1/vms/pv-api-none/start", node.adminToken, null);
    assertEquals(404, unknown.status(), unknown.body());
    node.assertMatchesContract("vmAction", unknown);

    TestNode.Response gpus = node.get("/api/v1/gpus");
    assertEquals(200, gpus.status(), gpus.body());
    node.assertMatchesContract("listGpus", gpus);
  }
}
