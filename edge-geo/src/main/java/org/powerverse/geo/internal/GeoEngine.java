package org.powerverse.geo.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.GeoService;
import org.powerverse.geo.Location;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;
import org.powerverse.geo.Offer;
import org.powerverse.geo.PeerStatus;
import org.powerverse.geo.Receipt;
import org.powerverse.geo.SelfView;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.platform.NodeIdentity;

/**
 * edge-geo's core, free of sockets and timers: a tick (re-announce, expire) and received envelopes
 * in; announcements for peers out through an {@link Outbox}. Its own announcements go through the
 * same inbox as everyone else's, so an echo from a peer is a duplicate and a bad self-signature
 * would show at once. Thread-safe: its parts are.
 */
public final class GeoEngine implements GeoService {

  /** Where accepted announcements go to be passed on to peers. */
  @FunctionalInterface
  public interface Outbox {
    void broadcast(SignedAnnouncement signed, byte[] envelope);
  }

  /** Light in fibre covers about 200 km per ms, so an ideal round trip takes 1 ms per 100 km. */
  public static final double KM_PER_RTT_MS = 100.0;

  private final GeoConfig config;
  private final NodeIdentity identity;
  private final Clock clock;
  private final Location location;
  private final Supplier<Offer> offer;
  private final Outbox outbox;
  private final NearestIndex index;
  private final AnnouncementInbox inbox;
  private final Announcer announcer;
  private volatile Supplier<List<PeerStatus>> peers = List::of;

  public GeoEngine(GeoConfig config, NodeIdentity identity, Clock clock, Location location, Supplier<Offer> offer,
      Outbox outbox, NearestIndex index) {
    this.config = Objects.requireNonNull(config, "config");
    this.identity = Objects.requireNonNull(identity, "identity");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.location = Objects.requireNonNull(location, "location");
    this.offer = Objects.requireNonNull(offer, "offer");
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    this.index = Objects.requireNonNull(index, "index");
    this.inbox = new AnnouncementInbox(clock, config);
    this.announcer = new Announcer(identity, clock, config);
  }

  /** Where {@link #self()} reads peer status from (the gossip client, once started). */
  public void peerStatus(Supplier<List<PeerStatus>> peers) {
    this.peers = Objects.requireNonNull(peers, "peers");
  }

  /** Once a second: drop what expired, and announce this node when due. */
  public void tick() {
    Instant now = clock.instant();
    index.expire(now);
    inbox.forgetUntil(now.toEpochMilli());
    Offer current = offer.get();
    announcer.next(location.h3Cell(), current.capacity(), current.score()).ifPresent(this::publishOwn);
  }

  private void publishOwn(SignedAnnouncement signed) {
    byte[] envelope = AnnouncementCodec.envelope(signed);
    AnnouncementInbox.Decision decision = inbox.offer(envelope);
    if (!decision.receipt().isAccepted()) {
      throw new IllegalStateException("this node's own announcement was refused: " + decision.receipt());
    }
    index.put(signed.announcement());
    outbox.broadcast(signed, envelope);
  }

  @Override
  public Receipt receive(byte[] envelope) {
    AnnouncementInbox.Decision decision = inbox.offer(envelope);
    decision.accepted().ifPresent(signed -> {
      index.put(signed.announcement());
      outbox.broadcast(signed, envelope);
    });
    return decision.receipt();
  }

  @Override
  public List<NodeMatch> nearest(NearestQuery query) {
    return index.nearest(query, clock.instant());
  }

  @Override
  public SelfView self() {
    Announcement own = announcer.current().map(SignedAnnouncement::announcement).orElse(null);
    return new SelfView(identity.nodeId(), location, own, index.size(), peers.get());
  }

  public Location location() {
    return location;
  }

  public int knownNodes() {
    return index.size();
  }

  /**
   * Takes a round-trip time measured to a peer that says it is {@code claimedNodeId}. The claim
   * counts only when that node's own signed announcement names the peer's host and port as its
   * API endpoint, so a peer cannot pin a slow RTT on someone else. The penalty is the RTT beyond
   * what the distance between the two cells explains, in km of detour (docs/geo.md).
   *
   * @return the penalty applied, empty when the claim could not be checked
   */
  public Optional<Double> recordRtt(String peerUrl, String claimedNodeId, double rttMs) {
    Optional<Announcement> peer = index.get(claimedNodeId);
    if (peer.isEmpty() || peer.get().endpoints().api() == null || !sameHostAndPort(peerUrl, peer.get().endpoints().api())) {
      return Optional.empty();
    }
    double penaltyKm = 0;
    if (location.h3Cell() != null) {
      double[] a = H3Cells.center(location.h3Cell());
      double[] b = H3Cells.center(peer.get().h3Cell());
      double[] va = NearestIndex.unitVector(a[0], a[1]);
      double[] vb = NearestIndex.unitVector(b[0], b[1]);
      double distanceKm = NearestIndex.angle(va[0], va[1], va[2], vb[0], vb[1], vb[2]) * NearestIndex.EARTH_RADIUS_KM;
      double inflationMs = Math.max(0, rttMs - distanceKm / KM_PER_RTT_MS);
      penaltyKm = config.rttWeight() * inflationMs * KM_PER_RTT_MS;
    }
    index.setRtt(claimedNodeId, rttMs, penaltyKm);
    return Optional.of(penaltyKm);
  }

  static boolean sameHostAndPort(String a, String b) {
    try {
      URI x = URI.create(a);
      URI y = URI.create(b);
      return x.getHost() != null && x.getHost().equalsIgnoreCase(y.getHost()) && port(x) == port(y);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static int port(URI uri) {
    return uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }
}
