package org.powerverse.geo;

/**
 * What a receiver did with an announcement envelope, checked in this order (docs/geo.md): size,
 * form, key, time, sequence, signature, room, rate. Only {@link #accepted} changes anything.
 */
public enum ReceiveOutcome {
  /** Valid and newer than what was known: stored and passed on to peers. */
  accepted,
  /** The very announcement already known (same seq, same signature): nothing to do. */
  duplicate,
  /** A seq at or below the highest known for the node (a replay or an out-of-order copy). */
  stale,
  /** issuedAt + ttl is not after now. */
  expired,
  /** issuedAt is later than now plus the clock-skew bound. */
  futureDated,
  /** Larger than geo.maxAnnouncementBytes; not read. */
  oversized,
  /** Not an envelope as docs/geo.md specifies (the detail names the member). */
  malformed,
  /** The public key is not the key nodeId names. */
  keyMismatch,
  /** The Ed25519 signature does not verify. */
  badSignature,
  /** The node sent more than geo.announcementsPerMinute. */
  rateLimited,
  /** A new node while geo.maxNodes nodes are already known. */
  full
}
