package org.powerverse.geo.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.platform.NodeIdentity;

/**
 * Decides when this node announces itself and signs the announcement: the first time a cell is
 * known, when anything announced changes (cell, endpoints, price, score, GPUs, or free vCPUs,
 * memory or cache by more than the threshold), and when the refresh interval has passed, which is
 * before expiry by construction (refreshSeconds &lt; announcementTtlSeconds); never more often than
 * receivers accept (geo.announcementsPerMinute), so a change that comes too soon waits its turn. Seq is the issuing
 * millisecond, or one more than the last seq when the clock has not moved on (or went back), so it
 * keeps increasing across restarts without being stored.
 */
public final class Announcer {

  private final NodeIdentity identity;
  private final Clock clock;
  private final GeoConfig config;
  private SignedAnnouncement current;

  public Announcer(NodeIdentity identity, Clock clock, GeoConfig config) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.config = Objects.requireNonNull(config, "config");
    String derived = PeerIds.ofEd25519(identity.ed25519PublicKey());
    if (!derived.equals(identity.nodeId())) {
      throw new IllegalStateException("the node id " + identity.nodeId() + " is not the peer id of its Ed25519 key ("
          + derived + ")");
    }
  }

  /** The last announcement made, if any. */
  public synchronized Optional<SignedAnnouncement> current() {
    return Optional.ofNullable(current);
  }

  /**
   * A new signed announcement when one is due for this cell and capacity, else empty. Nothing is
   * announced without a cell.
   */
  public synchronized Optional<SignedAnnouncement> next(String h3Cell, Capacity capacity, long score) {
    if (h3Cell == null) {
      return Optional.empty();
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    if (current != null && !due(current.announcement(), h3Cell, capacity, score, now)) {
      return Optional.empty();
    }
    long seq = Math.max(current == null ? 1 : current.announcement().seq() + 1, now.toEpochMilli());
    Announcement announcement = new Announcement(identity.nodeId(), h3Cell, config.endpoints(), capacity,
        config.price(), score, seq, now, config.announcementTtlSeconds());
    byte[] signature = identity.signEd25519(AnnouncementCodec.signingInput(announcement));
    current = new SignedAnnouncement(announcement, identity.ed25519PublicKey(), signature);
    return Optional.of(current);
  }

  private boolean due(Announcement last, String h3Cell, Capacity capacity, long score, Instant now) {
    // Never faster than receivers accept (geo.announcementsPerMinute): a change waits its turn.
    // A clock that stepped back does not hold announcements up.
    if (!now.isBefore(last.issuedAt()) && now.isBefore(last.issuedAt().plusMillis(60_000L / config.announcementsPerMinute()))) {
      return false;
    }
    return !now.isBefore(last.issuedAt().plusSeconds(config.refreshSeconds()))
        || !last.h3Cell().equals(h3Cell)
        || !last.endpoints().equals(config.endpoints())
        || last.price() != config.price()
        || last.score() != score
        || capacityChanged(last.capacity(), capacity, config.capacityChangeThreshold());
  }

  /** Whether capacity moved enough to tell peers now rather than at the next refresh. */
  public static boolean capacityChanged(Capacity before, Capacity after, double threshold) {
    return !before.gpus().equals(after.gpus())
        || moved(before.freeVcpus(), after.freeVcpus(), threshold)
        || moved(before.freeMemoryBytes(), after.freeMemoryBytes(), threshold)
        || moved(before.cacheBytes(), after.cacheBytes(), threshold);
  }

  private static boolean moved(long before, long after, double threshold) {
    if (before == after) {
      return false;
    }
    // Relative to what was announced; from zero, any change counts.
    return before == 0 || Math.abs(after - before) > threshold * before;
  }
}
