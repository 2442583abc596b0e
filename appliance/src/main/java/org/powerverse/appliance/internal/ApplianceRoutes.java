package org.powerverse.appliance.internal;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.powerverse.appliance.Version;
import org.powerverse.appliance.internal.api.TokenStore;
import org.powerverse.appliance.internal.identity.LocalIdentity;
import org.powerverse.appliance.internal.provider.ScoreCalculator;
import org.powerverse.hypervisor.HostService;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Health;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.Role;

/** The operations the appliance itself answers: health, metrics, the contract, node, tokens, jobs, score. */
final class ApplianceRoutes {

  /** GET /api/v1/node. */
  record NodeInfo(String nodeId, String name, String did, String accountAddress, String ed25519PublicKey,
      String version, String tlsFingerprint, Instant startedAt, boolean ready, List<SubsystemHealth> subsystems) {}

  record SubsystemHealth(String name, Health.State state, String reason, Instant since) {}

  record CreateToken(String name, Role role) {}

  record Items<T>(List<T> items) {}

  private ApplianceRoutes() {}

  interface Node {
    LocalIdentity identity();

    String name();

    Instant startedAt();

    Map<String, Health> health();

    Buffer openApi();

    String metrics();

    HostService host();

    java.time.Clock clock();
  }

  static void mount(ApiRoutes routes, Node node, TokenStore tokens, Jobs jobs, ScoreCalculator score) {
    routes.handle("getHealthz", request -> ApiResponse.ok(Map.of("status", "alive")));
    routes.handle("getReadyz", request -> {
      List<String> notReady = node.health().entrySet().stream()
          .filter(e -> !e.getValue().isReady())
          .map(e -> e.getKey() + " is " + e.getValue().state()
              + (e.getValue().reason() == null ? "" : ": " + e.getValue().reason()))
          .toList();
      if (!notReady.isEmpty()) {
        throw ApiProblem.unavailable(String.join("; ", notReady));
      }
      return ApiResponse.ok(Map.of("ready", true));
    });
    routes.handleRaw("getMetrics", ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(node.metrics()));
    routes.handleRaw("getOpenApi", ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "public, max-age=60")
        .end(node.openApi()));
    NodeDocument document = new NodeDocument(node);
    routes.handleRaw("getNode", ctx -> ctx.response().putHeader("Content-Type", "application/json").end(document.get()));

    routes.handleBlocking("listTokens", request -> ApiResponse.ok(new Items<>(tokens.list())));
    routes.handleBlocking("createToken", request -> {
      CreateToken create = request.body(CreateToken.class);
      TokenStore.IssuedToken issued = tokens.issue(create.name(), create.role(), request.principal());
      return ApiResponse.created(issued, "/api/v1/tokens/" + issued.id());
    });
    routes.handleBlocking("revokeToken", request -> {
      tokens.revoke(request.pathParam("id"));
      return ApiResponse.noContent();
    });

    routes.handleBlocking("listJobs", request -> {
      int limit = request.queryParam("limit").map(v -> ((Number) v).intValue()).orElse(50);
      return ApiResponse.ok(new Items<>(jobs.list(limit)));
    });
    routes.handleBlocking("getJob", request -> ApiResponse.ok(jobs.find(request.pathParam("id"))
        .orElseThrow(() -> ApiProblem.notFound("no job with id " + request.pathParam("id")))));
    routes.handleBlocking("cancelJob", request -> ApiResponse.ok(jobs.cancel(request.pathParam("id"))
        .orElseThrow(() -> ApiProblem.notFound("no job with id " + request.pathParam("id")))));

    routes.handleBlocking("getHostScore", request -> {
      HostService host = node.host();
      return ApiResponse.ok(score.score(host.inventory(), host.latestBenchmark(), node.clock().instant()));
    });
  }

  /**
   * GET /api/v1/node serialized once per change of the subsystems' health, not per request: it is
   * the call fleet tools and dashboards poll.
   */
  static final class NodeDocument {
    private final Node node;
    private volatile Map<String, Health> health;
    private volatile Buffer json;

    NodeDocument(Node node) {
      this.node = node;
    }

    Buffer get() {
      Map<String, Health> now = node.health();
      Buffer cached = json;
      if (cached == null || !now.equals(health)) {
        cached = Buffer.buffer(org.powerverse.platform.Json.bytes(nodeInfo(node, now)));
        json = cached;
        health = now;
      }
      return cached;
    }
  }

  static NodeInfo nodeInfo(Node node) {
    return nodeInfo(node, node.health());
  }

  static NodeInfo nodeInfo(Node node, Map<String, Health> health) {
    LocalIdentity id = node.identity();
    List<SubsystemHealth> subsystems = health.entrySet().stream()
        .map(e -> new SubsystemHealth(e.getKey(), e.getValue().state(), e.getValue().reason(), e.getValue().since()))
        .toList();
    return new NodeInfo(id.nodeId(), node.name(), id.did(), id.accountAddress(), id.ed25519PublicKeyHex(),
        Version.get(), id.tlsFingerprint(), node.startedAt(), health.values().stream().allMatch(Health::isReady),
        subsystems);
  }

  /** Lazily reads a value that exists only after start. */
  static <T> T require(Supplier<T> value, String what) {
    T result = value.get();
    if (result == null) {
      throw ApiProblem.unavailable(what + " is still starting");
    }
    return result;
  }
}
