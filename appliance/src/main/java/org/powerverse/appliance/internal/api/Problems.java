package org.powerverse.appliance.internal.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.Json;
import org.powerverse.platform.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into an RFC 9457 problem: contract violations name each bad field, unknown
 * failures become a 500 whose detail carries only a reference to the logged stack trace.
 */
final class Problems {

  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final Pattern PARAMETER = Pattern.compile("(path|query|header|cookie) parameter (\\S+?)[.\\s]");

  private Problems() {}

  static void send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      ctx.request().connection().close(); // mid-body: the client must not take a cut-off body for whole
      return;
    }
    boolean bodyUnread = !ctx.request().isEnded();
    boolean http2 = ctx.request().version() == io.vertx.core.http.HttpVersion.HTTP_2;
    if (bodyUnread && !http2) {
      // Answered before the body was read (a refused upload): HTTP/1.x cannot carry another request
      // on this connection, and the client must stop sending, so the connection closes after this.
      response.putHeader("Connection", "close");
    }
    response.setStatusCode(problem.status())
        .putHeader("Content-Type", Problem.MEDIA_TYPE)
        .putHeader("Cache-Control", "no-store");
    if (problem.status() == 401) {
      response.putHeader("WWW-Authenticate", "Bearer realm=\"powerverse\"");
    }
    response.end(Buffer.buffer(Json.bytes(problem)));
    if (bodyUnread) {
      drainThenCut(ctx.request(), http2);
    }
  }

  /** How much of an unread request body is read and dropped before the stream or connection is cut. */
  static final long DRAIN_LIMIT = 16L << 20;

  /**
   * A problem sent before the request's body was read (a refused upload): the body is read and
   * dropped, so that clients that finish sending before they read the answer (the JDK's) see it;
   * past {@link #DRAIN_LIMIT} an HTTP/2 stream is reset with NO_ERROR (RFC 9113 §8.1) and an HTTP/1
   * connection closed. Resetting at once instead makes curl drop the answer (its error 92), and
   * Vert.x keeps an HTTP/1 connection open until the request ends, whatever Connection says.
   */
  private static void drainThenCut(io.vertx.core.http.HttpServerRequest request, boolean http2) {
    long[] dropped = {0};
    request.handler(chunk -> {
      dropped[0] += chunk.length();
      if (dropped[0] > DRAIN_LIMIT) {
        request.handler(null);
        if (http2) {
          request.response().reset(0);
        } else {
          request.connection().close();
        }
      }
    });
    request.exceptionHandler(e -> { });
    request.endHandler(null);
    request.resume();
  }

  /** The failure handler of every route. */
  static void handleFailure(RoutingContext ctx) {
    send(ctx, toProblem(ctx.failure(), ctx.statusCode(), ctx.request().method().name() + " " + ctx.request().path()));
  }

  static Problem toProblem(Throwable failure, int status, String request) {
    Throwable cause = failure;
    if (cause instanceof HttpException http && http.getCause() != null) {
      cause = http.getCause();
    }
    if (cause instanceof ApiProblem problem) {
      return problem.problem();
    }
    if (cause instanceof SchemaValidationException schema) {
      return invalid(schema);
    }
    if (cause instanceof ValidatorException validator) {
      return invalid(validator);
    }
    if (cause instanceof DecodeException decode) {
      return ApiProblem.invalid("the body is not well-formed JSON: " + firstLine(decode.getMessage()),
          List.of(FieldError.body("(body)", "not well-formed JSON"))).problem();
    }
    if (cause instanceof HttpException http) {
      return byStatus(http.getStatusCode(), http.getPayload());
    }
    if (cause == null && status >= 400) {
      return byStatus(status, null);
    }
    String reference = UUID.randomUUID().toString();
    LOG.atError().setCause(cause).addKeyValue("reference", reference).addKeyValue("request", request)
        .log("request failed");
    return Problem.of("internal", "Internal error", 500,
        "the node could not complete this request; its log has the details under reference " + reference);
  }

  static Problem byStatus(int status, String payload) {
    return switch (status) {
      case 400 -> Problem.of("invalid-request", "Invalid request", 400, payload == null ? "bad request" : payload);
      case 401 -> Problem.of("unauthorized", "Unauthorized", 401, "a valid bearer token is needed");
      case 403 -> Problem.of("forbidden", "Forbidden", 403, payload);
      case 404 -> Problem.of("not-found", "Not found", 404, "no such resource");
      case 405 -> Problem.of("method-not-allowed", "Method not allowed", 405, "this resource does not support that method");
      case 413 -> Problem.of("too-large", "Request body too large", 413,
          "the body exceeds the node's limit (api.maxBodyBytes)");
      case 415 -> Problem.of("unsupported-media-type", "Unsupported media type", 415,
          payload == null ? "send application/json" : payload);
      default -> status >= 500
          ? Problem.of("internal", "Internal error", status, "the node could not complete this request")
          : Problem.of("http-" + status, "HTTP " + status, status, payload);
    };
  }

  private static Problem invalid(ValidatorException e) {
    Matcher m = PARAMETER.matcher(e.getMessage() + " ");
    if (m.find()) {
      FieldError.In in = switch (m.group(1)) {
        case "path" -> FieldError.In.path;
        case "header" -> FieldError.In.header;
        default -> FieldError.In.query;
      };
      String message = e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER ? "is required"
          : e instanceof SchemaValidationException s ? reasons(s.getOutputUnit()).stream().findFirst().orElse(e.getMessage())
          : e.getMessage();
      return ApiProblem.invalid(m.group(2) + ": " + message, List.of(new FieldError(m.group(2), in, message))).problem();
    }
    if (e.getMessage() != null && e.getMessage().contains("can't be decoded")) {
      return ApiProblem.invalid("the body is not well-formed JSON",
          List.of(FieldError.body("(body)", "not well-formed JSON"))).problem();
    }
    if (e.getMessage() != null && e.getMessage().contains("format of the request body is not supported")) {
      return Problem.of("unsupported-media-type", "Unsupported media type", 415,
          "this operation takes Content-Type: application/json");
    }
    if (e.getMessage() != null && e.getMessage().contains("required body")) {
      return ApiProblem.invalid("a JSON body is required", List.of(FieldError.body("(body)", "is required"))).problem();
    }
    if (e.getMessage() != null && e.getMessage().toLowerCase().contains("content type")) {
      return Problem.of("unsupported-media-type", "Unsupported media type", 415, firstLine(e.getMessage()));
    }
    return ApiProblem.invalid(firstLine(e.getMessage()), List.of()).problem();
  }

  private static Problem invalid(SchemaValidationException e) {
    if (!e.getMessage().contains("request body")) {
      return invalid((ValidatorException) e);
    }
    List<FieldError> errors = new ArrayList<>();
    collect(e.getOutputUnit(), errors, new LinkedHashSet<>());
    if (errors.isEmpty()) {
      errors.add(FieldError.body("(body)", firstLine(e.getMessage())));
    }
    String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid";
    return ApiProblem.invalid(detail, errors).problem();
  }

  /** The most specific messages of a JSON Schema output unit. */
  private static List<String> reasons(OutputUnit unit) {
    List<FieldError> errors = new ArrayList<>();
    collect(unit, errors, new LinkedHashSet<>());
    return errors.stream().map(FieldError::message).toList();
  }

  // Messages that only say "something below failed"; a field's specific message is preferred.
  private static final List<String> GENERIC = List.of("does not match schema", "A subschema had errors",
      "does not match additional properties schema", "does not match unevaluated properties schema",
      "Items did not match schema");
  private static final Pattern REQUIRED = Pattern.compile("does not have required property \"([^\"]+)\"");

  /** One error per field from a JSON Schema output unit: the most specific message for each. */
  private static void collect(OutputUnit unit, List<FieldError> out, Set<String> seen) {
    java.util.Map<String, String> byField = new java.util.LinkedHashMap<>();
    leaves(unit, byField);
    byField.forEach((field, message) -> {
      if (seen.add(field)) {
        out.add(FieldError.body(field, message));
      }
    });
  }

  private static void leaves(OutputUnit unit, java.util.Map<String, String> byField) {
    if (unit.getErrors() != null && !unit.getErrors().isEmpty()) {
      for (OutputUnit child : unit.getErrors()) {
        leaves(child, byField);
      }
    }
    String error = unit.getError();
    if (error == null) {
      return;
    }
    String field = field(unit.getInstanceLocation(), error);
    Matcher required = REQUIRED.matcher(error);
    if (required.find()) {
      field = field.equals("(body)") ? required.group(1) : field + "." + required.group(1);
      error = "is required";
    }
    boolean generic = GENERIC.stream().anyMatch(error::contains);
    String earlier = byField.get(field);
    if (earlier == null || (!generic && GENERIC.stream().anyMatch(earlier::contains))) {
      byField.put(field, error);
    }
  }

  private static final Pattern UNEVALUATED = Pattern.compile("property '([^']+)'");

  /** A JSON pointer ("/disks/1/sizeGiB") as a dotted path ("disks[1].sizeGiB"). */
  static String field(String pointer, String error) {
    StringBuilder out = new StringBuilder();
    if (pointer != null) {
      for (String token : pointer.replaceFirst("^#", "").split("/")) {
        if (token.isEmpty()) {
          continue;
        }
        String name = token.replace("~1", "/").replace("~0", "~");
        if (name.matches("[0-9]+")) {
          out.append('[').append(name).append(']');
        } else {
          out.append(out.length() == 0 ? "" : ".").append(name);
        }
      }
    }
    // A property the schema does not allow is reported on its parent: name the property itself.
    Matcher m = UNEVALUATED.matcher(error == null ? "" : error);
    if (m.find() && (error.contains("not allowed") || error.contains("additional") || error.contains("Unevaluated"))) {
      out.append(out.length() == 0 ? "" : ".").append(m.group(1));
    }
    return out.length() == 0 ? "(body)" : out.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
