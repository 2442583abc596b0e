package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.NodeConfig.SystemConfig;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.appliance.internal.system.GrubEnv;
import org.powerverse.appliance.internal.system.UpdateBundle;

/**
 * /api/v1/system on real supervisors: slots over files standing in for partitions and the ESP, a
 * kernel command line file naming the booted slot, bundles uploaded or fetched from a loopback server.
 */
@Tag("integration")
class SystemApiTest {

  @TempDir Path dir;
  private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
  private final Random random = new Random(7);

  private SystemConfig slots(String booted, GrubEnv env, List<String> reboot) throws Exception {
    Path esp = Files.createDirectories(dir.resolve("esp/powerverse"));
    env.write(esp.resolve("grubenv"));
    Files.writeString(dir.resolve("cmdline"), "quiet pv.slot=" + booted + "\n");
    Files.writeString(dir.resolve("update-keys"), HexFormat.of().formatHex(key.generatePublicKey().getEncoded()) + "\n");
    return new SystemConfig(null, dir.resolve("update-keys").toString(), esp.resolve("grubenv").toString(),
        new SystemConfig.Slot(dir.resolve("root-a").toString(), esp.resolve("A").toString()),
        new SystemConfig.Slot(dir.resolve("root-b").toString(), esp.resolve("B").toString()),
        null, reboot, dir.resolve("cmdline").toString());
  }

  private static GrubEnv flashed() {
    return GrubEnv.empty().set("ORDER", "A B").set("A_OK", "1").set("A_TRY", "1").set("A_STATE", "good")
        .set("A_VERSION", "0.1.0").set("B_OK", "0").set("B_STATE", "empty");
  }

  private byte[] bundle(String version) throws Exception {
    List<UpdateBundle.Source> sources = new ArrayList<>();
    for (String role : List.of("rootfs", "kernel", "initrd")) {
      byte[] bytes = new byte[role.equals("rootfs") ? 1 << 20 : 4096];
      random.nextBytes(bytes);
      sources.add(new UpdateBundle.Source(role, Files.write(dir.resolve(role), bytes)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UpdateBundle.create(out, key, version, Instant.parse("2026-11-25T00:00:00Z"), sources);
    return out.toByteArray();
  }

  private static TestNode.Response upload(TestNode node, String token, byte[] bundle) throws Exception {
    return node.send(node.request("/api/v1/system/update", token).header("Content-Type", "application/octet-stream")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bundle)).build());
  }

  private static JsonObject slot(TestNode node, String name) throws Exception {
    for (Object s : node.get("/api/v1/system").json().getJsonArray("slots")) {
      if (((JsonObject) s).getString("name").equals(name)) {
        return (JsonObject) s;
      }
    }
    throw new AssertionError("no slot " + name);
  }

  @Test
  void aNodeNotBootedFromTheImageSaysWhyAndRefusesUpdates() throws Exception {
    Files.writeString(dir.resolve("cmdline"), "root=/dev/sda1\n");
    SystemConfig plain = new SystemConfig(null, null, null, null, null, null, null, dir.resolve("cmdline").toString());
    try (TestNode node = TestNode.start(dir.resolve("data"), c -> c.withSystem(plain))) {
      TestNode.Response system = node.get("/api/v1/system");
      assertEquals(200, system.status(), system.body());
      node.assertMatchesContract("getSystem", system);
      assertFalse(system.json().getBoolean("updatesAvailable"));
      assertTrue(system.json().getString("unavailableReason").contains("pv.slot="), system.body());
      TestNode.Response refused = upload(node, node.adminToken, bundle("0.2.0"));
      assertEquals(409, refused.status(), refused.body());
      assertEquals("application/problem+json", refused.header("Content-Type"));
      node.assertMatchesContract("updateSystem", refused);
      // Refused before the body is read: over HTTP/1.1 too the client hears it (the connection closes).
      byte[] big = new byte[8 << 20];
      TestNode.Response http1 = node.send(node.request("/api/v1/system/update", node.adminToken)
          .version(java.net.http.HttpClient.Version.HTTP_1_1).header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build());
      assertEquals(409, http1.status(), http1.body());
      assertEquals(200, node.get("/api/v1/system").status(), "the node serves the next request");
    }
  }

  @Test
  void uploadWritesTheOtherSlotAndATamperedBundleIsRefusedWithItsReason() throws Exception {
    SystemConfig system = slots("A", flashed(), List.of("true"));
    try (TestNode node = TestNode.start(dir.resolve("data"), c -> c.withSystem(system))) {
      byte[] good = bundle("0.2.0");
      TestNode.Response written = upload(node, node.adminToken, good);
      assertEquals(200, written.status(), written.body());
      node.assertMatchesContract("updateSystem", written);
      assertEquals("B", written.json().getString("slot"));
      assertEquals(good.length, written.json().getLong("bytes"));
      assertArrayEquals(Files.readAllBytes(dir.resolve("rootfs")), Files.readAllBytes(dir.resolve("root-b")));
      TestNode.Response status = node.get("/api/v1/system");
      node.assertMatchesContract("getSystem", status);
      assertEquals("B", status.json().getString("nextBoot"), status.body());
      assertEquals("pending", slot(node, "B").getString("state"));
      assertEquals(3, slot(node, "B").getInteger("bootAttemptsLeft"));

      byte[] tampered = bundle("0.3.0");
      tampered[4096] ^= 0x40; // inside the first payload
      TestNode.Response refused = upload(node, node.adminToken, tampered);
      assertEquals(422, refused.status(), refused.body());
      node.assertMatchesContract("updateSystem", refused);
      assertTrue(refused.json().getString("type").endsWith("update-corrupt"), refused.body());
      assertEquals("bad", slot(node, "B").getString("state"));
      assertEquals("A", node.get("/api/v1/system").json().getString("nextBoot"), "a refused slot never boots");

      TestNode.Response notJson = node.send(node.request("/api/v1/system/update", node.adminToken)
          .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")).build());
      assertEquals(415, notJson.status(), notJson.body());
    }
  }

  @Test
  void aBundleByUrlIsAJobWithProgressAndRebootRunsTheRebootCommand() throws Exception {
    Path rebooted = dir.resolve("rebooted");
    SystemConfig system = slots("A", flashed(), List.of("touch", rebooted.toString()));
    byte[] good = bundle("0.4.0");
    Vertx vertx = Vertx.vertx();
    HttpServer origin = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/node.pvbundle")) {
        request.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(good));
      } else {
        request.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await();
    try (TestNode node = TestNode.start(dir.resolve("data"), c -> c.withSystem(system))) {
      String base = "http://127.0.0.1:" + origin.actualPort();
      TestNode.Response accepted = node.post("/api/v1/system/update", node.adminToken,
          new JsonObject().put("url", base + "/node.pvbundle").encode());
      assertEquals(202, accepted.status(), accepted.body());
      node.assertMatchesContract("updateSystem", accepted);
      JsonObject job = awaitJob(node, accepted.json().getString("id"));
      assertEquals("succeeded", job.getString("state"), job.encode());
      assertEquals(100.0, job.getDouble("percent"));
      assertEquals("0.4.0", job.getJsonObject("result").getString("version"));
      assertEquals("0.4.0", slot(node, "B").getString("version"));

      JsonObject missing = awaitJob(node, node.post("/api/v1/system/update", node.adminToken,
          new JsonObject().put("url", base + "/nothing").encode()).json().getString("id"));
      assertEquals("failed", missing.getString("state"));
      assertTrue(missing.getJsonObject("error").getString("detail").contains("404"), missing.encode());
      assertEquals(400, node.post("/api/v1/system/update", node.adminToken, "{\"url\": \"file:///etc/passwd\"}").status());

      TestNode.Response reboot = node.post("/api/v1/system/reboot", node.adminToken, null);
      assertEquals(202, reboot.status(), reboot.body());
      node.assertMatchesContract("rebootSystem", reboot);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.exists(rebooted) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(rebooted), "the reboot command ran");
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aSlotOnTrialIsMarkedGoodOnceTheNodeIsReady() throws Exception {
    GrubEnv trial = flashed().set("ORDER", "B A").set("B_OK", "1").set("B_TRY", "1").set("B_STATE", "pending")
        .set("B_VERSION", "0.2.0");
    SystemConfig system = slots("B", trial, List.of("false"));
    try (TestNode node = TestNode.start(dir.resolve("data"), c -> c.withSystem(system))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!slot(node, "B").getString("state").equals("good") && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertEquals("good", slot(node, "B").getString("state"), node.get("/readyz", null).body());
      GrubEnv env = GrubEnv.read(Path.of(system.bootEnv()));
      assertEquals("0", env.get("B_TRY"));
      assertEquals("B A", env.get("ORDER"));
    }
  }

  private static JsonObject awaitJob(TestNode node, String id) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject job;
    do {
      job = node.get("/api/v1/jobs/" + id).json();
      if (List.of("succeeded", "failed", "cancelled").contains(job.getString("state"))) {
        return job;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("job " + id + " did not finish: " + job.encode());
  }

}
