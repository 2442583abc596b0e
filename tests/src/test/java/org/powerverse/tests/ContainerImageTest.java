package org.powerverse.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OCI image Jib builds ({@code -Pcontainer}) runs the supervisor: its layers unpacked into a
 * root, started with the image's own entrypoint, environment and user in a private mount and PID
 * namespace (what a container runtime does, minus the network namespace, so the test reaches
 * the API on loopback). Needs root for chroot and unshare, as CI has.
 */
@Tag("e2e")
class ContainerImageTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API_LINE = Pattern.compile("https://127\\.0\\.0\\.1:(\\d+)/api/v1");

  @TempDir Path work;

  @Test
  void imageRunsTheSupervisorAsItsUnprivilegedUser() throws Exception {
    String image = System.getProperty("powerverse.containerImage", "");
    Assumptions.assumeTrue(!image.isBlank(),
        "the container image is built only with -Pcontainer (scripts/test builds it)");
    Path tar = Path.of(image);
    assertTrue(Files.isRegularFile(tar), "-Pcontainer should have built " + tar);
    assertEquals("0", run(List.of("id", "-u")).strip(), "unpacking an image and chroot need root (CI runs as root)");

    Path oci = work.resolve("oci");
    Path root = work.resolve("root");
    Files.createDirectories(oci);
    Files.createDirectories(root);
    run(List.of("tar", "-C", oci.toString(), "-xf", tar.toString()));
    JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(oci, index.get("manifests").get(0).get("digest").asText()).toFile());
    JsonNode config = JSON.readTree(blob(oci, manifest.get("config").get("digest").asText()).toFile()).get("config");
    for (JsonNode layer : manifest.get("layers")) {
      boolean gzip = layer.get("mediaType").asText().endsWith("gzip");
      run(List.of("tar", "--warning=no-unknown-keyword", "-C", root.toString(), gzip ? "-xzf" : "-xf",
          blob(oci, layer.get("digest").asText()).toString()));
    }
    assertEquals("10001:10001", config.get("User").asText());

    // What an operator mounts: a config that keeps the node on loopback. libvirt is not in the
    // image (it talks to the host's libvirtd, which this test has none of), so it is off.
    Files.createDirectories(root.resolve("proc"));
    Path yaml = root.resolve("etc/powerverse.yaml");
    Files.writeString(yaml, """
        api: {bindAddress: 127.0.0.1, port: 0}
        cdn: {gatewayHost: 127.0.0.1, gatewayPort: 0}
        hypervisor: {enabled: false}
        """);
    Files.setPosixFilePermissions(yaml, PosixFilePermissions.fromString("rw-r--r--"));

    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child=SIGTERM",
        "--mount-proc=" + root.resolve("proc"), "chroot", "--userspec=" + config.get("User").asText(), root.toString()));
    config.get("Entrypoint").forEach(arg -> command.add(arg.asText()));
    command.addAll(List.of("run", "--data", "/var/lib/powerverse", "--config", "/etc/powerverse.yaml"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("node.log").toFile());
    builder.environment().clear();
    config.get("Env").forEach(kv -> {
      String[] parts = kv.asText().split("=", 2);
      builder.environment().put(parts[0], parts[1]);
    });
    builder.environment().put("PATH", builder.environment().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin");
    Process node = builder.start();
    try {
      int port = awaitPort(node, work.resolve("node.log"));
      HttpClient http = insecureClient(); // the certificate is the node's own; the fingerprint is tested elsewhere
      String readyz = awaitReady(http, port);
      assertTrue(readyz.contains("\"ready\":true"), readyz);

      Path data = root.resolve("var/lib/powerverse");
      Path token = data.resolve("admin.token");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
      assertEquals(10001, (int) Files.getAttribute(token, "unix:uid"), "written by the image's user, not root");
      HttpResponse<String> info = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/node"))
          .header("Authorization", "Bearer " + Files.readString(token, StandardCharsets.US_ASCII).strip()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, info.statusCode(), info.body());
      assertTrue(JSON.readTree(info.body()).get("nodeId").asText().startsWith("12D3KooW"), info.body());
    } finally {
      stop(node, root);
    }
  }

  /**
   * SIGTERM to the supervisor (PID 1 of the test's PID namespace, found by its root directory), as a
   * container runtime stops it; then nothing of the image may be left running. (unshare does not
   * pass a signal on to its child; a node left behind from an earlier version of this test ran on.)
   */
  private static void stop(Process unshare, Path root) throws Exception {
    List<ProcessHandle> inImage = rootedIn(root);
    inImage.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : inImage) {
      try {
        p.onExit().get(15, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
        fail("the supervisor in the image did not stop within 15 s of SIGTERM");
      }
    }
    if (!unshare.waitFor(15, TimeUnit.SECONDS)) {
      unshare.destroyForcibly();
      fail("unshare did not end with its PID namespace");
    }
    assertEquals(List.of(), rootedIn(root), "processes of the image left running");
  }

  private static List<ProcessHandle> rootedIn(Path root) throws IOException {
    Path real = root.toRealPath();
    List<ProcessHandle> found = new ArrayList<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          if (Files.readSymbolicLink(proc.resolve("root")).equals(real)) {
            ProcessHandle.of(Long.parseLong(name)).ifPresent(found::add);
          }
        } catch (IOException | SecurityException e) {
          // gone meanwhile, or not ours to read
        }
      }
    }
    return found;
  }

  private static Path blob(Path oci, String digest) {
    return oci.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static int awaitPort(Process node, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      String out = Files.exists(log) ? Files.readString(log) : "";
      Matcher m = API_LINE.matcher(out);
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!node.isAlive()) {
        fail("the supervisor in the image exited with " + node.exitValue() + ":\n" + out);
      }
      node.waitFor(100, TimeUnit.MILLISECONDS);
    }
    fail("the supervisor in the image printed no API address within 90 s:\n" + Files.readString(log));
    return -1;
  }

  private static String awaitReady(HttpClient http, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return r.body();
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100); // polling a server's readiness, not timing a result
    }
    fail("/readyz never answered 200 within 60 s; last: " + last);
    return last;
  }

  private static HttpClient insecureClient() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      fail(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }
}
