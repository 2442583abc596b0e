package org.powerverse.appliance.internal.system;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongConsumer;
import org.powerverse.appliance.internal.api.BoundedBody;
import org.powerverse.appliance.internal.system.UpdateBundle.BundleException;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.Blocking;
import org.powerverse.platform.BodyInputStream;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.JobContext;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.Json;

/** {@code /api/v1/system}: the A/B slots, updates (uploaded or fetched from a URL) and reboot. */
public final class SystemRoutes {

  private SystemRoutes() {}

  public static void mount(ApiRoutes routes, SystemSlots slots, Jobs jobs, List<String> rebootCommand) {
    routes.handleBlocking("getSystem", request -> ApiResponse.ok(slots.status()));
    routes.handleRaw("updateSystem", context -> {
      String type = context.request().getHeader("Content-Type");
      String mediaType = type == null ? "" : type.split(";")[0].trim().toLowerCase(Locale.ROOT);
      if (mediaType.equals("application/json")) {
        BoundedBody.read(context, MAX_JSON_BYTES, body -> {
          try {
            URI url = bundleUrl(body.toString());
            ready(slots);
            var job = jobs.submit("system.update", work -> fetchAndInstall(slots, url, work));
            respond(context, 202, job, Map.of("Location", "/api/v1/jobs/" + job.id()));
          } catch (RuntimeException e) {
            context.fail(e);
          }
        });
        return;
      }
      if (!mediaType.equals("application/octet-stream")) {
        context.fail(new ApiProblem("unsupported-media-type", "Unsupported media type", 415,
            "send the bundle as application/octet-stream, or {\"url\": ...} as application/json", List.of()));
        return;
      }
      try {
        ready(slots);
      } catch (ApiProblem e) {
        context.fail(e);
        return;
      }
      BodyInputStream body = new BodyInputStream(context.request(), context.vertx().getOrCreateContext());
      Future<SystemSlots.Installed> installed = Blocking.call(context.vertx(),
          () -> install(slots, body, bytes -> { }));
      installed.onComplete(done -> {
        if (done.failed()) {
          context.fail(done.cause());
        } else {
          respond(context, 200, done.result(), Map.of());
        }
      });
    });
    routes.handleBlocking("rebootSystem", request -> {
      ready(slots);
      // Answer first; reboot a moment later so the client hears that it is happening.
      Thread.ofVirtual().name("reboot").start(() -> {
        try {
          Thread.sleep(500);
          BootTrial.reboot(rebootCommand);
        } catch (IOException | InterruptedException e) {
          org.slf4j.LoggerFactory.getLogger(SystemRoutes.class).atError().setCause(e).log("reboot failed");
        }
      });
      return new ApiResponse(202, Map.of("rebooting", true), Map.of());
    });
  }

  /** The largest {"url": ...} body taken. */
  static final int MAX_JSON_BYTES = 16 * 1024;

  private static void ready(SystemSlots slots) {
    slots.unavailableReason().ifPresent(reason -> {
      throw ApiProblem.conflict(reason, List.of());
    });
  }

  static URI bundleUrl(String json) {
    JsonObject body;
    try {
      body = new JsonObject(json);
    } catch (RuntimeException e) {
      throw ApiProblem.invalid("the body is not JSON: " + e.getMessage(), List.of());
    }
    if (!body.fieldNames().equals(java.util.Set.of("url")) || !(body.getValue("url") instanceof String text)) {
      throw ApiProblem.invalid(FieldError.body("url", "expected {\"url\": \"http(s)://...\"} and nothing else"));
    }
    try {
      URI url = new URI(text);
      if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
        throw ApiProblem.invalid(FieldError.body("url", "expected an http or https URL, got " + text));
      }
      return url;
    } catch (java.net.URISyntaxException e) {
      throw ApiProblem.invalid(FieldError.body("url", "not a URL: " + e.getMessage()));
    }
  }

  /** Downloads the bundle while verifying and writing it; percent from Content-Length when given. */
  private static Object fetchAndInstall(SystemSlots slots, URI url, JobContext job) throws Exception {
    job.progress(0, "fetching " + url);
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
        .followRedirects(HttpClient.Redirect.NORMAL).build()) {
      HttpResponse<InputStream> response;
      try {
        response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new ApiProblem("bad-gateway", "Bundle not fetched", 502, "fetching " + url + " failed: " + e, List.of());
      }
      try (InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new ApiProblem("bad-gateway", "Bundle not fetched", 502,
              url + " answered HTTP " + response.statusCode(), List.of());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        long[] lastPercent = {-1};
        return install(slots, in, bytes -> {
          job.checkCancelled();
          if (length > 0) {
            long percent = Math.min(99, bytes * 100 / length);
            if (percent != lastPercent[0]) {
              lastPercent[0] = percent;
              job.progress(percent, "written " + bytes + " of " + length + " bytes");
            }
          }
        });
      }
    }
  }

  /** Installs, turning refusals into problems that name their stable reason. */
  static SystemSlots.Installed install(SystemSlots slots, InputStream in, LongConsumer progress) throws IOException {
    try {
      return slots.install(in, slots.trustedKeys(), progress);
    } catch (BundleException e) {
      String reason = e.reason.name().toLowerCase(Locale.ROOT);
      throw new ApiProblem("update-" + reason.replace('_', '-'), "Update refused (" + reason + ")", 422,
          e.getMessage(), List.of(FieldError.body("bundle", reason + ": " + e.getMessage())));
    } catch (SystemSlots.SlotRefusal e) {
      throw new ApiProblem("update-incompatible", "Update refused (incompatible)", 422, e.getMessage(),
          List.of(FieldError.body("bundle", "incompatible: " + e.getMessage())));
    } catch (IllegalStateException e) {
      throw ApiProblem.conflict(e.getMessage(), List.of());
    }
  }

  private static void respond(RoutingContext context, int status, Object body, Map<String, String> headers) {
    var response = context.response().setStatusCode(status).putHeader("Content-Type", "application/json");
    headers.forEach(response::putHeader);
    response.end(Json.string(body));
  }
}
