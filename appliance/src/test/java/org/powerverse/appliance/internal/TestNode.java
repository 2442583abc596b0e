package org.powerverse.appliance.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.appliance.internal.api.ContractAssembler;
import org.powerverse.appliance.internal.cli.PinningTrustManager;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.platform.ConfigLoader;

/**
 * A real node for tests: the supervisor started in-process on a loopback port with its own data
 * directory, reached over real HTTPS with its certificate pinned. Every response can be checked
 * against the contract the node itself serves.
 */
public final class TestNode implements AutoCloseable {

  /** A response with its body as text. */
  public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    public JsonObject json() {
      return new JsonObject(body);
    }
  }

  public final Supervisor supervisor;
  public final Path dataDir;
  public final String adminToken;
  public final HttpClient http;
  private final Vertx vertx = Vertx.vertx();
  private ResponseValidator validator;

  private TestNode(Path dataDir, NodeConfig config) throws Exception {
    this.dataDir = dataDir;
    this.supervisor = Supervisor.start(new Supervisor.Options(dataDir, config, Clock.systemUTC(), new SecureRandom()));
    this.adminToken = Files.readString(dataDir.resolve("admin.token"), StandardCharsets.US_ASCII).strip();
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new PinningTrustManager(supervisor.identity().tlsFingerprint())}, null);
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A node with the defaults a test needs: loopback, any port, libvirt's test driver, a tiny benchmark. */
  public static TestNode start(Path dataDir) throws Exception {
    return start(dataDir, config -> config);
  }

  public static TestNode start(Path dataDir, Function<NodeConfig, NodeConfig> adjust) throws Exception {
    return new TestNode(dataDir, adjust.apply(testConfig("test:///default")));
  }

  public static NodeConfig testConfig(String libvirtUri) {
    NodeConfig defaults = ConfigLoader.defaults(NodeConfig.class);
    HypervisorConfig h = defaults.hypervisor();
    CdnConfig c = defaults.cdn();
    return defaults.withApi(new NodeConfig.ApiConfig(0, "127.0.0.1", null, 64L * 1024, null, 1))
        .withHypervisor(new HypervisorConfig(true, libvirtUri, h.procRoot(), h.sysRoot(), h.devRoot(), h.pciIdsPath(),
            0, 1, new HypervisorConfig.BenchmarkConfig(8L << 20, 4L << 20, 0.05, 0.05)))
        .withCdn(new CdnConfig(true, "127.0.0.1", 0, 64L << 20, java.util.List.of(), 5, null, null, null));
  }

  public URI uri(String path) {
    return URI.create("https://127.0.0.1:" + supervisor.apiPort() + path);
  }

  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  public Response send(HttpRequest request) throws Exception {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().map(), response.body());
  }

  public Response get(String path) throws Exception {
    return send(request(path, adminToken).GET().build());
  }

  public Response get(String path, String token) throws Exception {
    return send(request(path, token).GET().build());
  }

  public Response post(String path, String token, String json) throws Exception {
    HttpRequest.Builder builder = request(path, token);
    if (json == null) {
      builder.POST(HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }
    return send(builder.build());
  }

  /** Checks a response against the operation's responses in the contract the node serves. */
  public void assertMatchesContract(String operationId, Response response) throws Exception {
    if (validator == null) {
      Response contract = get("/api/v1/openapi.json", null);
      OpenAPIContract parsed = ContractAssembler.contract(vertx, new JsonObject(contract.body()))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      validator = ResponseValidator.create(vertx, parsed);
    }
    String contentType = response.header("Content-Type");
    Map<String, String> headers = new java.util.HashMap<>();
    response.headers().forEach((name, values) -> headers.put(name, values.get(0)));
    ValidatableResponse validatable = response.body().isEmpty()
        ? ValidatableResponse.create(response.status(), headers)
        : ValidatableResponse.create(response.status(), headers, Buffer.buffer(response.body()), contentType);
    try {
      validator.validate(validatable, operationId).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      fail(operationId + " answered " + response.status() + " " + response.body() + ", which the contract does not"
          + " allow: " + e.getCause().getMessage());
    }
  }

  @Override
  public void close() {
    supervisor.close();
    vertx.close();
  }
}
