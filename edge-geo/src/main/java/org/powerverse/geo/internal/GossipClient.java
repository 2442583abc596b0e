package org.powerverse.geo.internal;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import org.powerverse.geo.PeerStatus;
import org.powerverse.geo.SignedAnnouncement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes announcements to the configured peers: {@code POST <peer>/api/v1/geo/announcements}, one
 * envelope per request, one request in flight per peer. Per peer it keeps only the newest
 * envelope of each node, retries network errors, 5xx and 429 with exponential backoff and jitter
 * (1 s doubling to 5 min, Retry-After honoured), and drops what a peer refuses (other 4xx). TLS is
 * not verified: announcements carry their own signatures, TLS only hides them in transit. All
 * state lives on one Vert.x context.
 */
public final class GossipClient implements GeoEngine.Outbox, AutoCloseable {

  public static final String PATH = "/api/v1/geo/announcements";
  static final long BASE_BACKOFF_MILLIS = 1_000;
  static final long MAX_BACKOFF_MILLIS = 300_000;
  static final int MAX_PENDING_PER_PEER = 100_000;
  private static final int RTT_SAMPLES = 8;
  private static final Logger LOG = LoggerFactory.getLogger(GossipClient.class);

  /** Receives measured round trips: peer URL, the node id it says it has, milliseconds. */
  @FunctionalInterface
  public interface RttSink {
    void record(String peerUrl, String nodeId, double rttMs);
  }

  private final class Peer {
    final String url;
    final LinkedHashMap<String, byte[]> pending = new LinkedHashMap<>();
    boolean inFlight;
    int failures;
    long nextAttemptMillis;
    String lastError;
    String nodeId;
    final double[] rtts = new double[RTT_SAMPLES];
    int rttCount;

    Peer(String url) {
      this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    Double minRtt() {
      if (rttCount == 0) {
        return null;
      }
      double min = Double.MAX_VALUE;
      for (int i = 0; i < Math.min(rttCount, RTT_SAMPLES); i++) {
        min = Math.min(min, rtts[i]);
      }
      return min;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final WebClient client;
  private final Clock clock;
  private final RandomGenerator random;
  private final LongSupplier nanoTime;
  private final RttSink rttSink;
  private final List<Peer> peers = new ArrayList<>();
  private final long timer;
  private volatile List<PeerStatus> status = List.of();

  public GossipClient(Vertx vertx, List<String> peerUrls, Clock clock, RandomGenerator random, LongSupplier nanoTime,
      RttSink rttSink) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = WebClient.create(vertx, new WebClientOptions()
        .setTrustAll(true)
        .setVerifyHost(false)
        .setConnectTimeout(5_000)
        .setIdleTimeout(60)
        .setKeepAlive(true)
        .setUserAgent("powerverse-geo-gossip"));
    this.clock = clock;
    this.random = random;
    this.nanoTime = nanoTime;
    this.rttSink = rttSink;
    peerUrls.forEach(url -> peers.add(new Peer(url)));
    publishStatus();
    this.timer = vertx.setPeriodic(1_000, id -> context.runOnContext(v -> peers.forEach(this::pump)));
  }

  @Override
  public void broadcast(SignedAnnouncement signed, byte[] envelope) {
    String nodeId = signed.announcement().nodeId();
    context.runOnContext(v -> {
      for (Peer peer : peers) {
        peer.pending.remove(nodeId);
        peer.pending.put(nodeId, envelope);
        if (peer.pending.size() > MAX_PENDING_PER_PEER) {
          Iterator<String> oldest = peer.pending.keySet().iterator();
          oldest.next();
          oldest.remove();
        }
        pump(peer);
      }
      publishStatus();
    });
  }

  /** How gossip with each peer goes; safe to read from any thread. */
  public List<PeerStatus> status() {
    return status;
  }

  private void pump(Peer peer) {
    if (peer.inFlight || peer.pending.isEmpty() || clock.millis() < peer.nextAttemptMillis) {
      return;
    }
    Map.Entry<String, byte[]> next = peer.pending.entrySet().iterator().next();
    String nodeId = next.getKey();
    byte[] envelope = next.getValue();
    peer.inFlight = true;
    long started = nanoTime.getAsLong();
    client.postAbs(peer.url + PATH)
        .putHeader("Content-Type", "application/json")
        .timeout(10_000)
        .sendBuffer(Buffer.buffer(envelope))
        .onComplete(result -> context.runOnContext(v -> {
          peer.inFlight = false;
          if (result.succeeded()) {
            answered(peer, nodeId, envelope, result.result(), (nanoTime.getAsLong() - started) / 1e6);
          } else {
            failed(peer, result.cause().toString(), 0);
          }
          publishStatus();
          pump(peer);
        }));
  }

  private void answered(Peer peer, String nodeId, byte[] envelope, HttpResponse<Buffer> response, double rttMs) {
    int status = response.statusCode();
    if (status == 429 || status >= 500) {
      long retryAfter = 0;
      String header = response.getHeader("Retry-After");
      if (header != null && header.matches("\\d{1,6}")) {
        retryAfter = Long.parseLong(header) * 1000;
      }
      failed(peer, "HTTP " + status, retryAfter);
      return;
    }
    // Reached the peer: whatever it said, this envelope is done with, unless a newer one replaced it.
    if (peer.pending.get(nodeId) == envelope) {
      peer.pending.remove(nodeId);
    }
    peer.failures = 0;
    peer.nextAttemptMillis = 0;
    peer.lastError = status < 300 ? null : "peer refused an announcement of " + nodeId + ": HTTP " + status;
    peer.rtts[peer.rttCount++ % RTT_SAMPLES] = rttMs;
    String receiver = receiver(response);
    if (receiver != null) {
      peer.nodeId = receiver;
      rttSink.record(peer.url, receiver, peer.minRtt());
    }
  }

  private static String receiver(HttpResponse<Buffer> response) {
    try {
      JsonObject body = response.bodyAsJsonObject();
      return body == null ? null : body.getString("receiver");
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void failed(Peer peer, String why, long retryAfterMillis) {
    peer.failures++;
    long backoff = Math.min(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS << Math.min(20, peer.failures - 1));
    long jittered = (long) (backoff * (0.5 + random.nextDouble() / 2));
    peer.nextAttemptMillis = clock.millis() + Math.max(jittered, retryAfterMillis);
    peer.lastError = why;
    LOG.debug("gossip to {} failed ({} in a row): {}", peer.url, peer.failures, why);
  }

  private void publishStatus() {
    List<PeerStatus> out = new ArrayList<>(peers.size());
    for (Peer peer : peers) {
      out.add(new PeerStatus(peer.url, peer.nodeId, peer.minRtt(), peer.pending.size(), peer.failures,
          peer.nextAttemptMillis > clock.millis() ? Instant.ofEpochMilli(peer.nextAttemptMillis) : null, peer.lastError));
    }
    status = List.copyOf(out);
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    client.close();
  }
}
