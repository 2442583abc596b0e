package org.powerverse.geo.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.GeoService;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;
import org.powerverse.geo.PeerStatus;
import org.powerverse.geo.Receipt;
import org.powerverse.geo.ReceiveOutcome;
import org.powerverse.geo.SelfView;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.ApiRequest;
import org.powerverse.platform.ApiResponse;
import org.powerverse.platform.ApiRoutes;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.InvalidValueException;
import org.powerverse.platform.Json;
import org.powerverse.platform.Problem;

/**
 * The HTTP face of edge-geo (openapi/geo.yaml), a thin layer over {@link GeoService}: the node's
 * own view, nearest-node queries, and the public endpoint peers push signed announcements to. That
 * one reads the body itself, refusing it past the size limit before buffering more, and answers
 * only after the signature was checked.
 */
public final class GeoApi {

  public static final String GET_SELF = "getGeoSelf";
  public static final String LIST_NODES = "listGeoNodes";
  public static final String POST_ANNOUNCEMENT = "postGeoAnnouncement";

  /** Bytes of an oversized body drained (and dropped) after the 413 before the connection is cut. */
  static final long DISCARD_LIMIT = 1 << 20;

  private final GeoService service;
  private final int maxBytes;
  private final java.util.function.Supplier<String> selfNodeId;

  public GeoApi(GeoService service, int maxBytes, java.util.function.Supplier<String> selfNodeId) {
    this.service = service;
    this.maxBytes = maxBytes;
    this.selfNodeId = selfNodeId;
  }

  public void mount(ApiRoutes routes) {
    routes.handle(GET_SELF, request -> ApiResponse.ok(self(service.self())));
    routes.handle(LIST_NODES, this::nearest);
    routes.handleRaw(POST_ANNOUNCEMENT, this::receive);
  }

  ApiResponse nearest(ApiRequest request) {
    NearestQuery query;
    try {
      query = new NearestQuery(
          number(request, "lat").orElseThrow(() -> missing("lat")),
          number(request, "lon").orElseThrow(() -> missing("lon")),
          (int) integer(request, "k").orElse((long) NearestQuery.DEFAULT_K).longValue(),
          request.queryParam("gpuModel").map(String::valueOf).orElse(null),
          integer(request, "minVcpus").map(Long::intValue).orElse(null),
          integer(request, "maxPrice").orElse(null));
    } catch (InvalidValueException e) {
      throw ApiProblem.invalid(FieldError.query(e.field(), e.reason()));
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode nodes = body.putArray("nodes");
    for (NodeMatch match : service.nearest(query)) {
      nodes.add(match(match));
    }
    return ApiResponse.ok(body);
  }

  private static ApiProblem missing(String name) {
    return ApiProblem.invalid(FieldError.query(name, "required"));
  }

  private static Optional<Double> number(ApiRequest request, String name) {
    Optional<Object> value = request.queryParam(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof Number n) {
      return Optional.of(n.doubleValue());
    }
    try {
      return Optional.of(Double.parseDouble(value.get().toString()));
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(FieldError.query(name, "expected a number, got \"" + value.get() + "\""));
    }
  }

  private static Optional<Long> integer(ApiRequest request, String name) {
    Optional<Object> value = request.queryParam(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.get() instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return Optional.of(n.longValue());
    }
    try {
      return Optional.of(Long.parseLong(value.get().toString()));
    } catch (NumberFormatException e) {
      throw ApiProblem.invalid(FieldError.query(name, "expected an integer, got \"" + value.get() + "\""));
    }
  }

  void receive(RoutingContext context) {
    HttpServerRequest request = context.request();
    String declared = request.getHeader("Content-Length");
    if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
      long size = Long.parseLong(declared);
      if (size > DISCARD_LIMIT) {
        // Not worth draining: answer and let the connection close.
        context.response().putHeader("Connection", "close");
        tooLarge(context, size);
        return;
      }
      // Answer now; drain the body without keeping it so the connection stays usable (closing on
      // unread data would reset it and could lose the answer).
      tooLarge(context, size);
      request.handler(chunk -> {});
      request.resume();
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    long[] discarded = {0};
    request.handler(chunk -> {
      if (refused[0]) {
        // Already answered: drop the rest unread into memory; a sender that keeps going is cut off.
        discarded[0] += chunk.length();
        if (discarded[0] > DISCARD_LIMIT) {
          request.connection().close();
        }
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        refused[0] = true;
        tooLarge(context, body.length() + chunk.length());
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (!refused[0]) {
        answer(context, service.receive(body.getBytes()));
      }
    });
    request.exceptionHandler(e -> {
      if (!context.response().ended()) {
        context.fail(e);
      }
    });
    request.resume();
  }

  private void tooLarge(RoutingContext context, long size) {
    problem(context.response(), Problem.of("geo-announcement-oversized", "Announcement too large", 413,
        "a body of at least " + size + " bytes exceeds the limit of " + maxBytes), null);
  }

  void answer(RoutingContext context, Receipt receipt) {
    HttpServerResponse response = context.response();
    int status = status(receipt.outcome());
    if (status < 300) {
      response.setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(Json.string(receipt(receipt)));
      return;
    }
    Problem problem = new Problem(Problem.TYPE_PREFIX + "geo-announcement-" + kebab(receipt.outcome()),
        title(receipt.outcome()), status, receipt.detail(),
        receipt.outcome() == ReceiveOutcome.malformed ? List.of(FieldError.body(field(receipt.detail()), receipt.detail())) : List.of());
    String retryAfter = receipt.outcome() == ReceiveOutcome.rateLimited ? "10" : null;
    problem(response, problem, retryAfter);
  }

  private static void problem(HttpServerResponse response, Problem problem, String retryAfter) {
    if (response.ended()) {
      return;
    }
    response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
    if (retryAfter != null) {
      response.putHeader("Retry-After", retryAfter);
    }
    response.end(Json.string(problem));
  }

  /** HTTP status for each outcome: success for what a flood normally produces, problems otherwise. */
  public static int status(ReceiveOutcome outcome) {
    return switch (outcome) {
      case accepted -> 202;
      case duplicate, stale -> 200;
      case malformed -> 400;
      case oversized -> 413;
      case expired, futureDated, keyMismatch, badSignature -> 422;
      case rateLimited -> 429;
      case full -> 503;
    };
  }

  private static String title(ReceiveOutcome outcome) {
    return switch (outcome) {
      case malformed -> "Malformed announcement";
      case oversized -> "Announcement too large";
      case expired -> "Announcement expired";
      case futureDated -> "Announcement from the future";
      case keyMismatch -> "Key is not the node's";
      case badSignature -> "Bad signature";
      case rateLimited -> "Too many announcements";
      case full -> "Node table full";
      default -> outcome.name();
    };
  }

  private static String kebab(ReceiveOutcome outcome) {
    return outcome.name().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
  }

  private static String field(String detail) {
    int colon = detail.indexOf(':');
    return colon > 0 ? detail.substring(0, colon) : "$";
  }

  ObjectNode receipt(Receipt receipt) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("outcome", receipt.outcome().name());
    if (receipt.nodeId() != null) {
      json.put("nodeId", receipt.nodeId());
    }
    json.put("detail", receipt.detail());
    String receiver = selfNodeId.get();
    if (receiver != null) {
      json.put("receiver", receiver);
    }
    return json;
  }

  static ObjectNode announcement(Announcement a) {
    ObjectNode json = AnnouncementCodec.tree(a);
    json.put("expiresAt", AnnouncementCodec.issuedAt(a.expiresAt()));
    return json;
  }

  static ObjectNode match(NodeMatch match) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("nodeId", match.announcement().nodeId());
    json.put("distanceKm", match.distanceKm());
    json.put("rankKm", match.rankKm());
    if (match.rttMs() != null) {
      json.put("rttMs", match.rttMs());
    }
    json.set("announcement", announcement(match.announcement()));
    return json;
  }

  static ObjectNode self(SelfView view) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("nodeId", view.nodeId());
    ObjectNode location = json.putObject("location");
    location.put("source", view.location().source().name());
    if (view.location().h3Cell() != null) {
      location.put("h3Cell", view.location().h3Cell());
      location.put("resolution", view.location().resolution());
    }
    location.put("detail", view.location().detail());
    if (view.announcement() != null) {
      json.set("announcement", announcement(view.announcement()));
    }
    json.put("knownNodes", view.knownNodes());
    ArrayNode peers = json.putArray("peers");
    for (PeerStatus peer : view.peers()) {
      ObjectNode p = peers.addObject();
      p.put("url", peer.url());
      if (peer.nodeId() != null) {
        p.put("nodeId", peer.nodeId());
      }
      if (peer.rttMs() != null) {
        p.put("rttMs", peer.rttMs());
      }
      p.put("pending", peer.pending());
      p.put("consecutiveFailures", peer.consecutiveFailures());
      if (peer.nextAttemptAt() != null) {
        p.put("nextAttemptAt", peer.nextAttemptAt().toString());
      }
      if (peer.lastError() != null) {
        p.put("lastError", peer.lastError());
      }
    }
    return json;
  }
}
