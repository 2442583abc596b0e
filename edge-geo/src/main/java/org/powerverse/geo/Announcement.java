package org.powerverse.geo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Pattern;
import org.powerverse.geo.internal.H3Cells;
import org.powerverse.platform.Check;

/**
 * What a node tells its peers about itself: where it is (an H3 cell, never coordinates), how to
 * reach it, what it can take on and at what price. Signed by the node's Ed25519 key (see
 * {@link SignedAnnouncement}); its canonical bytes are specified in docs/geo.md.
 *
 * @param nodeId libp2p peer id of the signing key ({@code 12D3KooW...})
 * @param h3Cell the node's H3 cell (hex address)
 * @param endpoints where to reach it
 * @param capacity what it can take on now
 * @param price asking price per vCPU-hour in the chain's smallest unit
 * @param score the node's benchmark score (higher is better); informative, not verified
 * @param seq strictly increasing per node; a receiver keeps only the highest
 * @param issuedAt when it was signed, at millisecond precision
 * @param ttl seconds after {@code issuedAt} until it expires
 */
public record Announcement(
    String nodeId,
    String h3Cell,
    Endpoints endpoints,
    Capacity capacity,
    long price,
    long score,
    long seq,
    Instant issuedAt,
    long ttl) {

  /** 2^53 - 1: every integer in the canonical JSON is exact as an IEEE double (RFC 8785 §3.2.2.3). */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  /** Largest canonical encoding accepted (the envelope adds the key and signature). */
  public static final int MAX_CANONICAL_BYTES = 3072;
  /** Ed25519 peer ids: identity multihash of the protobuf key, in base58btc (libp2p peer-ids spec). */
  public static final Pattern NODE_ID = Pattern.compile("12D3KooW[1-9A-HJ-NP-Za-km-z]{44}");

  public Announcement {
    Objects.requireNonNull(nodeId, "nodeId");
    Check.that(NODE_ID.matcher(nodeId).matches(), "nodeId", "not an Ed25519 libp2p peer id (12D3KooW...), got \"" + nodeId + "\"");
    Objects.requireNonNull(h3Cell, "h3Cell");
    Check.that(H3Cells.isValidCell(h3Cell) && h3Cell.equals(h3Cell.toLowerCase(java.util.Locale.ROOT)),
        "h3Cell", "not a lower-case H3 cell address, got \"" + h3Cell + "\"");
    Objects.requireNonNull(endpoints, "endpoints");
    Objects.requireNonNull(capacity, "capacity");
    Check.range("price", price, 0L, MAX_SAFE_INTEGER);
    Check.range("score", score, 0L, MAX_SAFE_INTEGER);
    Check.range("seq", seq, 1L, MAX_SAFE_INTEGER);
    Objects.requireNonNull(issuedAt, "issuedAt");
    Check.that(issuedAt.truncatedTo(ChronoUnit.MILLIS).equals(issuedAt) && issuedAt.getEpochSecond() >= 0
        && issuedAt.getEpochSecond() < 253_402_300_800L, "issuedAt",
        "must be between 1970 and 9999 at millisecond precision, got " + issuedAt);
    Check.range("ttl", ttl, 1L, GeoConfig.MAX_TTL_SECONDS);
  }

  /** When it stops being valid. */
  public Instant expiresAt() {
    return issuedAt.plusSeconds(ttl);
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt());
  }
}
