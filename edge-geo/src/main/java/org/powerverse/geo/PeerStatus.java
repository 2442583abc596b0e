package org.powerverse.geo;

import java.time.Instant;

/**
 * How gossip with one configured peer is going.
 *
 * @param url the peer's base URL (geo.peers)
 * @param nodeId the peer's node id, once it has answered
 * @param rttMs the smallest of its recent round-trip times, once measured
 * @param pending announcements waiting to be sent to it
 * @param consecutiveFailures failed attempts since the last success
 * @param nextAttemptAt when the next attempt may start (backoff), null when not backing off
 * @param lastError why the last attempt failed, null after a success
 */
public record PeerStatus(
    String url,
    String nodeId,
    Double rttMs,
    int pending,
    int consecutiveFailures,
    Instant nextAttemptAt,
    String lastError) {}
