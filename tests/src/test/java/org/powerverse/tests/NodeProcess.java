package org.powerverse.tests;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.powerverse.appliance.internal.cli.PinningTrustManager;

/**
 * The supervisor as a child process, started the way ./powerverse starts it (same JVM options, the
 * class path of these tests), with its stdout and stderr captured line by line.
 */
final class NodeProcess implements AutoCloseable {

  private static final Pattern API_LINE = Pattern.compile("api\\s+https://127\\.0\\.0\\.1:(\\d+)/api/v1");
  private static final Pattern TLS_LINE = Pattern.compile("tls sha-256\\s+(\\S+)");
  static final ObjectMapper JSON = new ObjectMapper();

  final Process process;
  final Path dataDir;
  private final Path logs;
  private HttpClient http;

  private NodeProcess(Process process, Path dataDir, Path logs) {
    this.process = process;
    this.dataDir = dataDir;
    this.logs = logs;
  }

  /** Lines the process has written to stdout so far. */
  List<String> stdout() {
    return lines("stdout");
  }

  /** Lines the process has written to stderr so far. */
  List<String> stderr() {
    return lines("stderr");
  }

  private List<String> lines(String stream) {
    try {
      String text = Files.readString(logs.resolve(stream), StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n'); // a line still being written is not a line yet
      return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * What every test node listens on unless a test passes its own {@code --config}: loopback only,
   * the gateway on a free port (tests run side by side), nothing reached beyond this machine.
   */
  static final String LOOPBACK_CONFIG = """
      api:
        bindAddress: 127.0.0.1
      cdn:
        gatewayHost: 127.0.0.1
        gatewayPort: 0
      """;

  /** Starts {@code powerverse run --data DIR --api-port 0 ...extra}; libvirt is its test driver. */
  static NodeProcess start(Path dataDir, String... extra) throws IOException {
    return launch(dataDir, 0, withLoopbackConfig(extra));
  }

  /** Starts a node on a given port, bound to loopback (to test a taken port). */
  static NodeProcess startOnPort(Path dataDir, int port) throws IOException {
    return launch(dataDir, port, withLoopbackConfig());
  }

  private static String[] withLoopbackConfig(String... extra) throws IOException {
    if (Arrays.asList(extra).contains("--config")) {
      return extra;
    }
    Path config = Files.createTempFile("powerverse-test", ".yaml");
    Files.writeString(config, LOOPBACK_CONFIG);
    List<String> args = new ArrayList<>(Arrays.asList(extra));
    args.add("--config");
    args.add(config.toString());
    return args.toArray(String[]::new);
  }

  private static NodeProcess launch(Path dataDir, int port, String... extra) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(Arrays.asList(System.getProperty("powerverse.childJvmArgs", "").trim().split("\\s+")));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.powerverse.appliance.Main", "run",
        "--data", dataDir.toString(), "--api-port", String.valueOf(port), "--libvirt-uri", "test:///default"));
    command.addAll(Arrays.asList(extra));
    command.removeIf(String::isEmpty);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("POWERVERSE_TOKEN");
    // Output goes to files, not pipes: when a child exits, the JDK drains its pipe under a reader
    // blocked in read(), which then fails with "Stream closed" and loses the last lines.
    Path logs = Files.createTempDirectory("powerverse-node-output");
    builder.redirectOutput(logs.resolve("stdout").toFile());
    builder.redirectError(logs.resolve("stderr").toFile());
    return new NodeProcess(builder.start(), dataDir, logs);
  }

  /** Waits for the start-up banner (or the process's end) and returns the API port. */
  int awaitPort() throws InterruptedException {
    return Integer.parseInt(awaitStdout(API_LINE).group(1));
  }

  String bannerFingerprint() throws InterruptedException {
    return awaitStdout(TLS_LINE).group(1);
  }

  private Matcher awaitStdout(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : stdout()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (!process.isAlive() && stdout().stream().noneMatch(l -> pattern.matcher(l).find())) {
        throw new AssertionError("the supervisor exited with " + process.exitValue() + " before printing its banner;"
            + " stderr:\n" + String.join("\n", stderr()));
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no banner within 60 s; stderr:\n" + String.join("\n", stderr()));
  }

  String adminToken() throws IOException {
    return Files.readString(dataDir.resolve("admin.token"), StandardCharsets.US_ASCII).strip();
  }

  HttpClient http() throws Exception {
    if (http == null) {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new PinningTrustManager(bannerFingerprint())}, null);
      http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
    }
    return http;
  }

  HttpResponse<String> call(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + awaitPort() + path))
        .header("Authorization", "Bearer " + adminToken()).timeout(Duration.ofSeconds(30));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  JsonNode json(String method, String path, String body) throws Exception {
    return JSON.readTree(call(method, path, body).body());
  }

  /** Waits for the process to end and returns its exit status. */
  int awaitExit(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new AssertionError("the supervisor did not exit within " + seconds + " s");
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.list(logs)) {
      files.forEach(file -> file.toFile().delete());
      Files.deleteIfExists(logs);
    } catch (IOException e) {
      // a temporary directory
    }
  }
}
