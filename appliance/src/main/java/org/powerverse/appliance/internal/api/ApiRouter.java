package org.powerverse.appliance.internal.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestUtils;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.powerverse.appliance.internal.api.RouteBindings.Binding;
import org.powerverse.appliance.internal.api.RouteBindings.Mode;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.Json;
import org.powerverse.platform.Principal;
import org.powerverse.platform.Problem;
import org.powerverse.platform.Role;

/**
 * Builds the HTTP router from the OpenAPI contract: one route per operation, each running
 * authentication and the role check, then the body (with the size limit), then validation against
 * the contract, then the bound handler. Authentication comes first so an unauthenticated caller
 * learns nothing about the schema (401 before any 400). The contract is the single source of truth:
 * an operation with no handler, or a handler for no operation, stops start-up.
 */
public final class ApiRouter {

  static final String PRINCIPAL = "powerverse.principal";
  static final String VALIDATED = "powerverse.validated";
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  /** What the router needs to know about one operation, read from the contract. */
  record OperationInfo(String operationId, HttpMethod method, String path, Role role, boolean isPublic,
      boolean streaming, boolean idempotent, boolean hasBody, boolean hasParameters) {}

  private final Vertx vertx;
  private final TokenStore tokens;
  private final Idempotency idempotency;
  private final long maxBodyBytes;
  private final boolean metricsRequireAuth;

  public ApiRouter(Vertx vertx, TokenStore tokens, Idempotency idempotency, long maxBodyBytes,
      boolean metricsRequireAuth) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.idempotency = idempotency;
    this.maxBodyBytes = maxBodyBytes;
    this.metricsRequireAuth = metricsRequireAuth;
  }

  /** Reads every operation of the served contract. */
  static List<OperationInfo> operations(JsonObject contract) {
    List<OperationInfo> out = new ArrayList<>();
    JsonObject paths = contract.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (!METHODS.contains(method)) {
          continue;
        }
        JsonObject op = item.getJsonObject(method);
        String id = op.getString("operationId");
        if (id == null) {
          throw new IllegalStateException(method.toUpperCase() + " " + path + " has no operationId");
        }
        HttpMethod httpMethod = HttpMethod.valueOf(method.toUpperCase());
        Role role = op.containsKey("x-powerverse-role") ? Role.valueOf(op.getString("x-powerverse-role"))
            : httpMethod == HttpMethod.GET || httpMethod == HttpMethod.HEAD ? Role.reader : Role.operator;
        JsonArray security = op.getJsonArray("security");
        boolean isPublic = security != null && security.isEmpty();
        boolean hasParameters = !item.getJsonArray("parameters", new JsonArray()).isEmpty()
            || !op.getJsonArray("parameters", new JsonArray()).isEmpty();
        out.add(new OperationInfo(id, httpMethod, path, role, isPublic,
            op.getBoolean("x-powerverse-streaming", false), op.getBoolean("x-powerverse-idempotent", false),
            op.containsKey("requestBody"), hasParameters));
      }
    }
    return out;
  }

  public Router build(JsonObject served, OpenAPIContract validation, RouteBindings bindings) {
    List<OperationInfo> operations = operations(served);
    Map<String, Binding> bound = new LinkedHashMap<>(bindings.all());
    List<String> missing = new ArrayList<>();
    for (OperationInfo op : operations) {
      if (!bound.containsKey(op.operationId())) {
        missing.add(op.operationId());
      }
      bound.remove(op.operationId());
    }
    if (!missing.isEmpty() || !bound.isEmpty()) {
      throw new IllegalStateException("the contract and the handlers disagree: operations without a handler "
          + missing + ", handlers without an operation " + bound.keySet());
    }
    Map<String, Binding> all = bindings.all();
    RequestValidator validator = RequestValidator.create(vertx, validation);
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store");
      ctx.next();
    });
    BoundedBody body = new BoundedBody(maxBodyBytes);
    for (OperationInfo op : operations) {
      Route route = router.route(op.method(), op.path().replaceAll("\\{([^}]+)}", ":$1"));
      if (op.streaming()) {
        // Hold the body back until the raw handler reads it: auth and parameter validation may
        // hop threads, and bytes arriving meanwhile would otherwise be dropped.
        route.handler(ctx -> {
          ctx.request().pause();
          ctx.next();
        });
      }
      route.handler(authenticate(op));
      if (op.hasBody() && !op.streaming()) {
        route.handler(body);
      }
      // vertx-openapi validates on a worker thread (executeBlocking): an operation with no
      // parameters and no body has nothing to validate, so it skips that round trip.
      if (op.hasParameters() || (op.hasBody() && !op.streaming())) {
        Operation contractOperation = validation.operation(op.operationId());
        route.handler(ctx -> RequestUtils.extract(ctx.request(), contractOperation,
                () -> Future.succeededFuture(BoundedBody.of(ctx)))
            .compose(request -> validator.validate(request, op.operationId()))
            .onSuccess(validated -> {
              ctx.put(VALIDATED, validated);
              ctx.next();
            })
            .onFailure(ctx::fail));
      }
      route.handler(handler(op, all.get(op.operationId())));
      route.failureHandler(Problems::handleFailure);
    }
    router.errorHandler(404, ctx -> Problems.send(ctx, Problems.byStatus(404, null)));
    router.errorHandler(405, ctx -> Problems.send(ctx, Problems.byStatus(405, null)));
    router.errorHandler(500, Problems::handleFailure);
    return router;
  }

  private Handler<RoutingContext> authenticate(OperationInfo op) {
    boolean open = op.isPublic() || (op.operationId().equals("getMetrics") && !metricsRequireAuth);
    return ctx -> {
      if (open) {
        ctx.next();
        return;
      }
      String header = ctx.request().getHeader("Authorization");
      if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        Problems.send(ctx, Problem.of("unauthorized", "Unauthorized", 401,
            "send Authorization: Bearer <token> (the admin token is in DATA/admin.token)"));
        return;
      }
      Optional<Principal> principal = tokens.authenticate(header.substring(7).strip());
      if (principal.isEmpty()) {
        Problems.send(ctx, Problem.of("unauthorized", "Unauthorized", 401, "the bearer token is not valid"));
        return;
      }
      if (!principal.get().role().allows(op.role())) {
        Problems.send(ctx, Problem.of("forbidden", "Forbidden", 403, "token '" + principal.get().name()
            + "' has role " + principal.get().role() + "; " + op.operationId() + " needs " + op.role()));
        return;
      }
      ctx.put(PRINCIPAL, principal.get());
      ctx.next();
    };
  }

  private Handler<RoutingContext> handler(OperationInfo op, Binding binding) {
    if (binding.mode() == Mode.RAW) {
      return binding.raw();
    }
    return ctx -> {
      ApiRequestImpl request = new ApiRequestImpl(ctx, op.operationId(), ctx.get(PRINCIPAL), ctx.<ValidatedRequest>get(VALIDATED));
      String key = op.idempotent() ? ctx.request().getHeader("Idempotency-Key") : null;
      if (key != null) {
        Blocking.call(vertx, () -> idempotent(ctx, op, key, binding, request)).onComplete(done -> {
          if (done.succeeded()) {
            write(ctx, done.result());
          } else {
            ctx.fail(done.cause());
          }
        });
      } else if (binding.mode() == Mode.BLOCKING) {
        Blocking.call(vertx, () -> binding.handler().handle(request)).onComplete(done -> {
          if (done.succeeded()) {
            write(ctx, done.result());
          } else {
            ctx.fail(done.cause());
          }
        });
      } else {
        try {
          write(ctx, binding.handler().handle(request));
        } catch (Exception e) {
          ctx.fail(e);
        }
      }
    };
  }

  /** Runs a create at most once per Idempotency-Key; replays the first response to retries. */
  private ApiResponse idempotent(RoutingContext ctx, OperationInfo op, String key, Binding binding,
      ApiRequestImpl request) throws Exception {
    Idempotency.checkKey(key);
    Principal principal = ctx.get(PRINCIPAL);
    String slot = Idempotency.slot(principal.tokenId(), op.operationId(), key);
    byte[] body = BoundedBody.of(ctx) == null ? new byte[0] : BoundedBody.of(ctx).getBytes();
    String digest = Idempotency.digest(op.method().name(), ctx.request().path(), body);
    Optional<Idempotency.StoredResponse> stored = idempotency.begin(slot, digest);
    if (stored.isPresent()) {
      Idempotency.StoredResponse replay = stored.get();
      Object replayBody = replay.body() == null ? null : Json.MAPPER.readTree(replay.body());
      return new ApiResponse(replay.status(), replayBody, replay.headers()).withHeader("Idempotent-Replayed", "true");
    }
    ApiResponse response;
    try {
      response = binding.handler().handle(request);
    } catch (ApiProblem problem) {
      // A refusal is an answer too: the same request with the same key gets it again.
      idempotency.complete(slot, digest, problem.problem().status(), Map.of(), Json.string(problem.problem()));
      throw problem;
    } catch (Exception | Error e) {
      idempotency.release(slot);
      throw e;
    }
    idempotency.complete(slot, digest, response.status(), response.headers(),
        response.body() == null ? null : Json.string(response.body()));
    return response;
  }

  static void write(RoutingContext ctx, ApiResponse response) {
    HttpServerResponse http = ctx.response();
    if (http.ended() || http.closed()) {
      return;
    }
    response.headers().forEach(http::putHeader);
    http.setStatusCode(response.status());
    if (response.body() == null) {
      http.end();
      return;
    }
    boolean problem = response.status() >= 400;
    http.putHeader("Content-Type", problem ? Problem.MEDIA_TYPE : "application/json");
    http.end(Buffer.buffer(Json.bytes(response.body())));
  }
}
