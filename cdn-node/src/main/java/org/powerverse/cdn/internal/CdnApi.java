package org.powerverse.cdn.internal;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.cdn.CdnService;
import org.powerverse.cdn.EvictionRequest;
import org.powerverse.cdn.PinRequest;
import org.powerverse.cdn.UnixfsProfile;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.BodyInputStream;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.Json;

/** Binds the operations of {@code org/powerverse/cdn/openapi.yaml} to the service. */
final class CdnApi {

  /** Every operationId of the contract fragment, bound by {@link #mount}. */
  static final List<String> OPERATIONS = List.of("addCdnFile", "importCdnCar", "listCdnPins",
      "createCdnPin", "getCdnPin", "deleteCdnPin", "getCdnStats", "createCdnEviction");

  private CdnApi() {}

  static void mount(ApiRoutes routes, CdnConfig config, Supplier<CdnService> service, Supplier<Jobs> jobs) {
    routes.handleRaw("addCdnFile", context -> {
      UnixfsProfile profile;
      try {
        String name = context.request().getParam("profile");
        profile = name == null ? config.profile() : UnixfsProfile.byName(name);
      } catch (IllegalArgumentException e) {
        context.fail(ApiProblem.invalid(FieldError.query("profile", e.getMessage())));
        return;
      }
      boolean pin = !"false".equals(context.request().getParam("pin"));
      BodyInputStream body = new BodyInputStream(context.request(), context.vertx().getOrCreateContext());
      respond(context, Blocking.call(context.vertx(), () -> service.get().addFile(body, profile, pin)),
          added -> added.pinned() ? Map.of("Location", "/api/v1/cdn/pins/" + added.cid()) : Map.of());
    });
    routes.handleRaw("importCdnCar", context -> {
      boolean pin = !"false".equals(context.request().getParam("pin"));
      BodyInputStream body = new BodyInputStream(context.request(), context.vertx().getOrCreateContext());
      respond(context, Blocking.call(context.vertx(), () -> service.get().importCar(body, pin)), imported -> Map.of());
    });
    routes.handleBlocking("listCdnPins", request -> ApiResponse.ok(Map.of("pins", service.get().pins())));
    routes.handle("createCdnPin", request -> {
      Cid cid = cid(request.body(PinRequest.class).cid(), FieldError.In.body);
      return ApiResponse.accepted(jobs.get().submit("cdn.pin", job -> {
        job.progress(0, "pinning " + cid);
        return service.get().pin(cid);
      }));
    });
    routes.handleBlocking("getCdnPin", request -> {
      Cid cid = cid(request.pathParam("cid"), FieldError.In.path);
      return ApiResponse.ok(service.get().findPin(cid).orElseThrow(() -> ApiProblem.notFound(cid + " is not pinned")));
    });
    routes.handleBlocking("deleteCdnPin", request -> {
      Cid cid = cid(request.pathParam("cid"), FieldError.In.path);
      if (!service.get().unpin(cid)) {
        throw ApiProblem.notFound(cid + " is not pinned");
      }
      return ApiResponse.noContent();
    });
    routes.handleBlocking("getCdnStats", request -> ApiResponse.ok(service.get().stats()));
    routes.handleBlocking("createCdnEviction", request -> {
      String value = request.body(EvictionRequest.class).cid();
      Optional<Cid> root = value == null ? Optional.empty() : Optional.of(cid(value, FieldError.In.body));
      return ApiResponse.ok(service.get().evict(root));
    });
  }

  private static Cid cid(String value, FieldError.In in) {
    try {
      return Cid.parse(value);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(new FieldError("cid", in, e.getMessage()));
    }
  }

  /** 201 with the result as JSON, or the failure to the API layer's problem rendering. */
  private static <T> void respond(RoutingContext context, Future<T> result, Function<T, Map<String, String>> headers) {
    result.onComplete(done -> {
      if (done.failed()) {
        Throwable cause = done.cause();
        context.fail(cause instanceof IOException io ? ApiProblem.invalid("cannot read the request body: " + io.getMessage(), List.of()) : cause);
        return;
      }
      var response = context.response().setStatusCode(201).putHeader("Content-Type", "application/json");
      headers.apply(done.result()).forEach(response::putHeader);
      response.end(Json.string(done.result()));
    });
  }
}
