package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.Location;
import org.powerverse.geo.LocationSource;
import org.powerverse.geo.MutableClock;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;
import org.powerverse.geo.Offer;
import org.powerverse.geo.ReceiveOutcome;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.geo.TestIdentity;

class GeoEngineTest {

  private static final String LONDON = "87194ad30ffffff";
  private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
  private final List<SignedAnnouncement> sent = new ArrayList<>();
  private final AtomicReference<Offer> offer = new AtomicReference<>(new Offer(new Capacity(8, 1L << 34, Map.of(), 0), 5));
  private final TestIdentity self = TestIdentity.numbered(1);
  private final GeoEngine engine = new GeoEngine(GeoConfig.defaults(), self, clock,
      new Location(LocationSource.config, LONDON, 7, "geo.latitude/longitude"), offer::get,
      (signed, envelope) -> sent.add(signed), new NearestIndex());

  private byte[] from(TestIdentity node, String cell, long seq, String api) {
    Announcement a = new Announcement(node.nodeId(), cell, new Endpoints(api, null, null),
        new Capacity(4, 1L << 33, Map.of(), 0), 10, 1, seq, clock.instant(), 600);
    return AnnouncementCodec.envelope(new SignedAnnouncement(a, node.ed25519PublicKey(),
        node.signEd25519(AnnouncementCodec.signingInput(a))));
  }

  @Test
  void tickAnnouncesThisNodeOnceAndIndexesIt() {
    engine.tick();
    engine.tick();
    assertEquals(1, sent.size());
    assertEquals(self.nodeId(), sent.get(0).announcement().nodeId());
    assertEquals(LONDON, engine.self().announcement().h3Cell());
    assertEquals(1, engine.self().knownNodes());
    List<NodeMatch> near = engine.nearest(NearestQuery.near(51.5, -0.1, 5));
    assertEquals(self.nodeId(), near.get(0).announcement().nodeId());
  }

  @Test
  void capacityChangeIsAnnouncedOnALaterTick() {
    engine.tick();
    offer.set(new Offer(new Capacity(2, 1L << 34, Map.of(), 0), 5));
    clock.advance(Duration.ofSeconds(10));
    engine.tick();
    assertEquals(2, sent.size());
    assertEquals(2, sent.get(1).announcement().capacity().freeVcpus());
  }

  @Test
  void acceptedAnnouncementsArePassedOnButEchoesAndRejectsAreNot() {
    engine.tick();
    TestIdentity other = TestIdentity.numbered(2);
    byte[] envelope = from(other, "8729a41adffffff", 1, "https://other.example:8443");
    assertEquals(ReceiveOutcome.accepted, engine.receive(envelope).outcome());
    assertEquals(ReceiveOutcome.duplicate, engine.receive(envelope).outcome());
    assertEquals(ReceiveOutcome.duplicate, engine.receive(AnnouncementCodec.envelope(sent.get(0))).outcome(), "own echo");
    assertEquals(ReceiveOutcome.badSignature,
        engine.receive(new String(from(other, LONDON, 2, null)).replace("\"price\":10", "\"price\":11").getBytes()).outcome());
    assertEquals(2, sent.size());
    assertEquals(2, engine.self().knownNodes());
  }

  @Test
  void expiredNodesLeaveTheIndexOnTick() {
    engine.tick();
    engine.receive(from(TestIdentity.numbered(2), "8729a41adffffff", 1, null));
    clock.advance(Duration.ofSeconds(600));
    engine.tick();
    assertEquals(1, engine.self().knownNodes(), "the other expired; this node re-announced within its ttl");
  }

  @Test
  void rttCountsOnlyForAPeerWhoseOwnAnnouncementNamesItsAddress() {
    engine.tick();
    TestIdentity paris = TestIdentity.numbered(3);
    // Paris is about 340 km from London: an ideal round trip takes about 3.4 ms.
    engine.receive(from(paris, H3Cells.cell(48.8566, 2.3522, 7), 1, "https://10.0.0.3:8443"));
    assertTrue(engine.recordRtt("https://10.0.0.9:8443", paris.nodeId(), 50).isEmpty(), "another host claims to be Paris");
    double penalty = engine.recordRtt("https://10.0.0.3:8443/", paris.nodeId(), 13.4).orElseThrow();
    assertEquals(1000, penalty, 15, "10 ms beyond the ideal = 1000 km of detour at weight 1");
    List<NodeMatch> near = engine.nearest(NearestQuery.near(48.8566, 2.3522, 2));
    assertEquals(self.nodeId(), near.get(0).announcement().nodeId(), "London, 340 km away, beats a 1000 km detour");
    NodeMatch match = near.get(1);
    assertEquals(paris.nodeId(), match.announcement().nodeId());
    assertEquals(13.4, match.rttMs());
    assertEquals(match.distanceKm() + penalty, match.rankKm(), 1e-9);
  }

  @Test
  void unknownLocationAnnouncesNothingButStillRelays() {
    GeoEngine blind = new GeoEngine(GeoConfig.defaults(), self, clock, Location.unknown("nothing configured"),
        offer::get, (signed, envelope) -> sent.add(signed), new NearestIndex());
    blind.tick();
    assertTrue(sent.isEmpty());
    assertNull(blind.self().announcement());
    assertEquals(ReceiveOutcome.accepted, blind.receive(from(TestIdentity.numbered(2), LONDON, 1, null)).outcome());
    assertEquals(1, sent.size());
  }
}
