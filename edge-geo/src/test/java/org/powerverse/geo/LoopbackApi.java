package org.powerverse.geo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.powerverse.platform.ApiHandler;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiRequest;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Json;
import org.powerverse.platform.Principal;
import org.powerverse.platform.Problem;

/**
 * A stand-in for the appliance's API layer, enough to serve edge-geo on loopback in tests: reads
 * the subsystem's OpenAPI fragment, routes each operation to what {@code mount} bound, converts
 * query parameters by their schema type, and renders problems. No auth (the appliance's job).
 * Refuses to start when an operation of the fragment is left unbound, as the supervisor does.
 */
public final class LoopbackApi implements ApiRoutes, AutoCloseable {

  private record Operation(HttpMethod method, String path, Map<String, String> queryTypes) {}

  private final Vertx vertx;
  private final Router router;
  private final Map<String, Operation> operations = new HashMap<>();
  private final Set<String> bound = new TreeSet<>();
  private HttpServer server;

  public LoopbackApi(Vertx vertx, String openApiResource) throws Exception {
    this.vertx = vertx;
    this.router = Router.router(vertx);
    JsonNode doc;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(openApiResource)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + openApiResource);
      }
      doc = new YAMLMapper().readTree(in);
    }
    for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
        Map.Entry<String, JsonNode> op = ops.next();
        Map<String, String> types = new HashMap<>();
        JsonNode parameters = op.getValue().get("parameters");
        if (parameters != null) {
          for (JsonNode p : parameters) {
            if ("query".equals(p.get("in").asText())) {
              types.put(p.get("name").asText(), p.get("schema").get("type").asText());
            }
          }
        }
        operations.put(op.getValue().get("operationId").asText(),
            new Operation(HttpMethod.valueOf(op.getKey().toUpperCase()), "/api/v1" + path.getKey(), types));
      }
    }
  }

  /** Starts serving on 127.0.0.1 with an ephemeral port; returns the base URL. */
  public String listen() throws Exception {
    Set<String> unbound = new TreeSet<>(operations.keySet());
    unbound.removeAll(bound);
    if (!unbound.isEmpty()) {
      throw new IllegalStateException("operations not bound: " + unbound);
    }
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + server.actualPort();
  }

  @Override
  public void handle(String operationId, ApiHandler handler) {
    route(operationId).handler(ctx -> run(ctx, handler, operations.get(operationId)));
  }

  @Override
  public void handleBlocking(String operationId, ApiHandler handler) {
    route(operationId).blockingHandler(ctx -> run(ctx, handler, operations.get(operationId)));
  }

  @Override
  public void handleRaw(String operationId, Handler<RoutingContext> handler) {
    route(operationId).handler(ctx -> {
      ctx.request().pause();
      handler.handle(ctx);
    });
  }

  private io.vertx.ext.web.Route route(String operationId) {
    Operation op = operations.get(operationId);
    if (op == null) {
      throw new IllegalArgumentException("no operation " + operationId + " in the fragment");
    }
    if (!bound.add(operationId)) {
      throw new IllegalStateException(operationId + " bound twice");
    }
    return router.route(op.method(), op.path());
  }

  private static void run(RoutingContext ctx, ApiHandler handler, Operation op) {
    ApiRequest request = new ApiRequest() {
      public String operationId() { return ""; }
      public Principal principal() { return null; }
      public String pathParam(String name) { return ctx.pathParam(name); }
      public Optional<Object> queryParam(String name) {
        String raw = ctx.queryParams().get(name);
        if (raw == null) {
          return Optional.empty();
        }
        String type = op.queryTypes().getOrDefault(name, "string");
        try {
          return Optional.of(switch (type) {
            case "integer" -> (Object) Long.parseLong(raw);
            case "number" -> (Object) Double.parseDouble(raw);
            default -> raw;
          });
        } catch (NumberFormatException e) {
          throw ApiProblem.invalid(org.powerverse.platform.FieldError.query(name, "expected " + type));
        }
      }
      public Optional<String> header(String name) { return Optional.ofNullable(ctx.request().getHeader(name)); }
      public <T> T body(Class<T> type) { return Json.read(ctx.body().buffer().getBytes(), type); }
    };
    try {
      ApiResponse response = handler.handle(request);
      ctx.response().setStatusCode(response.status()).putHeader("Content-Type", "application/json");
      response.headers().forEach((k, v) -> ctx.response().putHeader(k, v));
      ctx.response().end(response.body() == null ? "" : Json.string(response.body()));
    } catch (ApiProblem problem) {
      Problem p = problem.problem();
      ctx.response().setStatusCode(p.status()).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Json.string(p));
    } catch (Exception e) {
      ctx.fail(e);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().await();
    }
  }
}
