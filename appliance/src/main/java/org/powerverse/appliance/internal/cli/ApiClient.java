package org.powerverse.appliance.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import org.powerverse.appliance.internal.system.CountingInputStream;
import org.powerverse.platform.Json;

/** A client of one node's API over HTTPS, with its certificate pinned (see {@link PinningTrustManager}). */
final class ApiClient implements AutoCloseable {

  /** The node answered with a problem, or could not be reached; the message says which. */
  static final class ApiError extends Exception {
    final int exitCode;
    /** The HTTP status of a problem answer; 0 when there was no answer. */
    final int status;

    ApiError(String message, int exitCode) {
      this(message, exitCode, 0);
    }

    ApiError(String message, int exitCode, int status) {
      super(message);
      this.exitCode = exitCode;
      this.status = status;
    }
  }

  private final URI base;
  private final String token;
  private final String node;
  private final KnownNodes knownNodes;
  private final boolean trustOnFirstUse;
  private final PinningTrustManager trust;
  private final HttpClient http;
  private final PrintWriter err;

  ApiClient(URI base, String token, Optional<String> fingerprint, KnownNodes knownNodes, PrintWriter err)
      throws IOException, GeneralSecurityException {
    this.base = base;
    this.token = token;
    this.err = err;
    this.node = base.getHost() + ":" + (base.getPort() < 0 ? 443 : base.getPort());
    this.knownNodes = knownNodes;
    Optional<String> known = knownNodes.find(node);
    String pinned = fingerprint.orElse(known.orElse(null));
    this.trustOnFirstUse = pinned == null || (fingerprint.isPresent() && !fingerprint.equals(known));
    this.trust = new PinningTrustManager(pinned);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {trust}, null);
    this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public void close() {
    http.close();
  }

  JsonNode get(String path) throws ApiError {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  JsonNode post(String path, Object body) throws ApiError {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))));
  }

  /**
   * Streams a file as the body (application/octet-stream); {@code sent} hears the bytes handed to
   * the connection so far. Uploads may take long: the timeout is the file's, not a call's.
   */
  JsonNode upload(String path, Path file, java.util.function.LongConsumer sent) throws ApiError, IOException {
    long size = Files.size(file);
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> {
          try {
            return new CountingInputStream(Files.newInputStream(file), sent);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }), size);
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/octet-stream")
        .POST(body), Duration.ofMinutes(30));
  }

  JsonNode delete(String path) throws ApiError {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  private JsonNode send(HttpRequest.Builder request) throws ApiError {
    return send(request, Duration.ofSeconds(60));
  }

  private JsonNode send(HttpRequest.Builder request, Duration timeout) throws ApiError {
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.header("Authorization", "Bearer " + token).header("Accept", "application/json")
          .timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (SSLHandshakeException e) {
      if (trust.seen() != null) {
        throw new ApiError("""
            THE NODE AT %s PRESENTED A DIFFERENT CERTIFICATE.
              pinned:    %s
              presented: %s
            Someone may be intercepting this connection, or the node's keys were recreated. Compare the
            fingerprint on the node's console; if it is the presented one, run again with --fingerprint %s"""
            .formatted(node, pinnedFingerprint(), trust.seen(), trust.seen()), RootCommand.UNTRUSTED);
      }
      throw new ApiError("TLS handshake with " + node + " failed: " + e.getMessage(), RootCommand.FAILED);
    } catch (ConnectException e) {
      throw new ApiError("cannot reach " + base + ": connection refused (is the node running?)", RootCommand.FAILED);
    } catch (IOException e) {
      throw new ApiError("cannot reach " + base + ": " + e, RootCommand.FAILED);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError("interrupted", RootCommand.FAILED);
    }
    rememberFingerprint();
    byte[] body = response.body();
    JsonNode json = null;
    if (body.length > 0 && response.headers().firstValue("Content-Type").orElse("").contains("json")) {
      json = Json.read(body, JsonNode.class);
    }
    if (response.statusCode() >= 400) {
      throw new ApiError(describe(response.statusCode(), json), RootCommand.FAILED, response.statusCode());
    }
    return json;
  }

  private String pinnedFingerprint() {
    try {
      return knownNodes.find(node).orElse("(given with --fingerprint)");
    } catch (IOException e) {
      return "(unreadable " + knownNodes.file() + ")";
    }
  }

  private void rememberFingerprint() {
    if (!trustOnFirstUse || trust.seen() == null) {
      return;
    }
    try {
      if (!trust.seen().equals(knownNodes.find(node).orElse(null))) {
        knownNodes.pin(node, trust.seen());
        err.println("powerverse: trusting " + node + " with TLS fingerprint " + trust.seen() + " (saved in "
            + knownNodes.file() + ")");
        err.flush();
      }
    } catch (IOException e) {
      err.println("powerverse: could not save the fingerprint to " + knownNodes.file() + ": " + e.getMessage());
    }
  }

  static String describe(int status, JsonNode problem) {
    if (problem == null) {
      return "HTTP " + status;
    }
    StringBuilder out = new StringBuilder(problem.path("title").asText("HTTP " + status)).append(" (").append(status)
        .append(")");
    if (problem.hasNonNull("detail")) {
      out.append(": ").append(problem.get("detail").asText());
    }
    for (JsonNode error : problem.path("errors")) {
      out.append("\n  ").append(error.path("in").asText()).append(" ").append(error.path("field").asText())
          .append(": ").append(error.path("message").asText());
    }
    return out.toString();
  }
}
