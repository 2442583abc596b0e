package org.powerverse.geo.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.Receipt;
import org.powerverse.geo.ReceiveOutcome;
import org.powerverse.geo.SignedAnnouncement;

/**
 * The receiving side of announcements, as a state machine over envelopes and an injected clock:
 * checks size, form, key, time, sequence, signature, room and per-node rate, in that order (cheap
 * and stateless first; nothing an unverified envelope says changes state). Remembers each node's
 * highest seq until the latest expiry it has seen from that node, so an older but unexpired
 * announcement cannot be replayed after a newer one lapsed. Thread-safe; the signature is checked
 * outside the lock.
 */
public final class AnnouncementInbox {

  /** What {@link #offer} decided, and the announcement when it was accepted. */
  public record Decision(Receipt receipt, Optional<SignedAnnouncement> accepted) {}

  private static final class NodeState {
    long seq;
    byte[] signature;
    long rememberUntilMillis;
    double tokens;
    long refilledAtMillis;
  }

  private record Forget(long atMillis, String nodeId) {}

  private final Clock clock;
  private final int maxBytes;
  private final long maxSkewMillis;
  private final int perMinute;
  private final int maxNodes;
  private final Map<String, NodeState> nodes = new HashMap<>();
  private final PriorityQueue<Forget> forgetting = new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));

  public AnnouncementInbox(Clock clock, GeoConfig config) {
    this(clock, config.maxAnnouncementBytes(), config.maxClockSkewSeconds() * 1000L, config.announcementsPerMinute(),
        config.maxNodes());
  }

  public AnnouncementInbox(Clock clock, int maxBytes, long maxSkewMillis, int perMinute, int maxNodes) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxBytes = maxBytes;
    this.maxSkewMillis = maxSkewMillis;
    this.perMinute = perMinute;
    this.maxNodes = maxNodes;
  }

  public Decision offer(byte[] envelope) {
    Instant now = clock.instant();
    if (envelope.length > maxBytes) {
      return reject(ReceiveOutcome.oversized, null, "envelope of " + envelope.length + " bytes exceeds the limit of " + maxBytes);
    }
    SignedAnnouncement signed;
    try {
      signed = AnnouncementCodec.parseEnvelope(envelope);
    } catch (MalformedAnnouncementException e) {
      return reject(ReceiveOutcome.malformed, null, e.getMessage());
    }
    Announcement a = signed.announcement();
    String nodeId = a.nodeId();
    Optional<byte[]> named = PeerIds.ed25519KeyOf(nodeId);
    if (named.isEmpty() || !Arrays.equals(named.get(), signed.publicKey())) {
      return reject(ReceiveOutcome.keyMismatch, nodeId, "publicKey is not the key of nodeId " + nodeId);
    }
    if (a.isExpiredAt(now)) {
      return reject(ReceiveOutcome.expired, nodeId, "expired at " + a.expiresAt() + ", now " + now);
    }
    if (a.issuedAt().toEpochMilli() > now.toEpochMilli() + maxSkewMillis) {
      return reject(ReceiveOutcome.futureDated, nodeId, "issued at " + a.issuedAt() + ", more than "
          + maxSkewMillis / 1000 + " s after now (" + now + ")");
    }
    Optional<Decision> sequence = checkSequence(signed, now);
    if (sequence.isPresent()) {
      return sequence.get();
    }
    if (!Ed25519.verify(signed.publicKey(), AnnouncementCodec.signingInput(a), signed.signature())) {
      return reject(ReceiveOutcome.badSignature, nodeId, "the Ed25519 signature does not verify");
    }
    return commit(signed, now);
  }

  private synchronized Optional<Decision> checkSequence(SignedAnnouncement signed, Instant now) {
    forgetUntil(now.toEpochMilli());
    NodeState state = nodes.get(signed.announcement().nodeId());
    if (state == null) {
      return Optional.empty();
    }
    long seq = signed.announcement().seq();
    if (seq == state.seq && Arrays.equals(state.signature, signed.signature())) {
      return Optional.of(reject(ReceiveOutcome.duplicate, signed.announcement().nodeId(), "seq " + seq + " already known"));
    }
    if (seq <= state.seq) {
      return Optional.of(reject(ReceiveOutcome.stale, signed.announcement().nodeId(),
          "seq " + seq + " is not above the known seq " + state.seq));
    }
    return Optional.empty();
  }

  private synchronized Decision commit(SignedAnnouncement signed, Instant now) {
    Announcement a = signed.announcement();
    long nowMillis = now.toEpochMilli();
    NodeState state = nodes.get(a.nodeId());
    if (state == null) {
      if (nodes.size() >= maxNodes) {
        return reject(ReceiveOutcome.full, a.nodeId(), "already " + nodes.size() + " nodes known (geo.maxNodes)");
      }
      state = new NodeState();
      state.tokens = perMinute;
      state.refilledAtMillis = nowMillis;
      nodes.put(a.nodeId(), state);
    } else if (a.seq() <= state.seq) {
      // Another thread committed a newer one while this signature was being checked.
      return reject(ReceiveOutcome.stale, a.nodeId(), "seq " + a.seq() + " is not above the known seq " + state.seq);
    }
    double refill = (nowMillis - state.refilledAtMillis) * perMinute / 60_000.0;
    state.tokens = Math.min(perMinute, state.tokens + Math.max(0, refill));
    state.refilledAtMillis = Math.max(state.refilledAtMillis, nowMillis);
    if (state.tokens < 1) {
      if (state.seq == 0) {
        nodes.remove(a.nodeId());
      }
      long waitMillis = (long) Math.ceil((1 - state.tokens) * 60_000.0 / perMinute);
      return reject(ReceiveOutcome.rateLimited, a.nodeId(), "more than " + perMinute
          + " announcements a minute; next accepted in " + waitMillis + " ms");
    }
    state.tokens -= 1;
    state.seq = a.seq();
    state.signature = signed.signature();
    long expires = a.expiresAt().toEpochMilli();
    if (expires > state.rememberUntilMillis) {
      state.rememberUntilMillis = expires;
      forgetting.add(new Forget(expires, a.nodeId()));
    }
    return new Decision(new Receipt(ReceiveOutcome.accepted, a.nodeId(), "seq " + a.seq() + " accepted"),
        Optional.of(signed));
  }

  /** Forgets nodes whose every announcement has expired; cost proportional to what is forgotten. */
  public synchronized void forgetUntil(long nowMillis) {
    while (!forgetting.isEmpty() && forgetting.peek().atMillis <= nowMillis) {
      Forget next = forgetting.poll();
      NodeState state = nodes.get(next.nodeId);
      if (state != null && state.rememberUntilMillis <= nowMillis) {
        nodes.remove(next.nodeId);
      }
    }
  }

  /** Nodes remembered now (live, or whose replays are still being refused). */
  public synchronized int size() {
    return nodes.size();
  }

  /** The highest seq remembered for a node. */
  public synchronized Optional<Long> knownSeq(String nodeId) {
    NodeState state = nodes.get(nodeId);
    return state == null ? Optional.empty() : Optional.of(state.seq);
  }

  private static Decision reject(ReceiveOutcome outcome, String nodeId, String detail) {
    return new Decision(new Receipt(outcome, nodeId, detail), Optional.empty());
  }
}
