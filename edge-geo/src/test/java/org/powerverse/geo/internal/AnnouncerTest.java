package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.MutableClock;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.geo.TestIdentity;
import org.powerverse.platform.NodeIdentity;

class AnnouncerTest {

  private static final String CELL = "87194ad30ffffff";
  private static final Capacity BASE = new Capacity(10, 1000, Map.of("NVIDIA L4", 1), 5000);

  private final MutableClock clock = MutableClock.at("2025-11-24T22:00:00Z");
  private final TestIdentity identity = TestIdentity.numbered(1);
  private final Announcer announcer = new Announcer(identity, clock, GeoConfig.defaults());

  @Test
  void firstAnnouncementIsSignedAndVerifies() {
    SignedAnnouncement first = announcer.next(CELL, BASE, 7).orElseThrow();
    assertEquals(identity.nodeId(), first.announcement().nodeId());
    assertEquals(clock.millis(), first.announcement().seq());
    assertEquals(1800, first.announcement().ttl());
    assertTrue(Ed25519.verify(first.publicKey(), AnnouncementCodec.signingInput(first.announcement()), first.signature()));
  }

  @Test
  void nothingIsAnnouncedWithoutACell() {
    assertTrue(announcer.next(null, BASE, 7).isEmpty());
  }

  @Test
  void smallChangesWaitForTheRefreshWhichComesBeforeExpiry() {
    announcer.next(CELL, BASE, 7).orElseThrow();
    clock.advance(Duration.ofSeconds(1));
    assertTrue(announcer.next(CELL, new Capacity(11, 1050, Map.of("NVIDIA L4", 1), 5400), 7).isEmpty(), "10% or less");
    clock.advance(Duration.ofSeconds(GeoConfig.DEFAULT_REFRESH_SECONDS - 1));
    SignedAnnouncement refreshed = announcer.next(CELL, BASE, 7).orElseThrow();
    assertTrue(refreshed.announcement().issuedAt().isBefore(announcer.current().orElseThrow().announcement().expiresAt()));
  }

  @Test
  void largeCapacityChangesAreAnnouncedAsSoonAsTheRateAllows() {
    long first = announcer.next(CELL, BASE, 7).orElseThrow().announcement().seq();
    Capacity fewerVcpus = new Capacity(8, 1000, Map.of("NVIDIA L4", 1), 5000);
    assertTrue(announcer.next(CELL, fewerVcpus, 7).isEmpty(), "6 a minute: not within 10 s of the last");
    clock.advance(Duration.ofSeconds(10));
    assertTrue(announcer.next(CELL, fewerVcpus, 7).isPresent(), "vCPUs -20%");
    clock.advance(Duration.ofSeconds(10));
    assertTrue(announcer.next(CELL, new Capacity(8, 1000, Map.of(), 5000), 7).isPresent(), "GPU gone");
    clock.advance(Duration.ofSeconds(10));
    assertTrue(announcer.next(CELL, new Capacity(8, 1000, Map.of(), 5000), 8).isPresent(), "score changed");
    clock.advance(Duration.ofSeconds(10));
    assertFalse(announcer.next(CELL, new Capacity(8, 1000, Map.of(), 5000), 8).isPresent());
    long last = announcer.current().orElseThrow().announcement().seq();
    assertEquals(first + 30_000, last, "seq is the issuing millisecond");
  }

  @Test
  void seqKeepsIncreasingWhenTheClockGoesBack() {
    long first = announcer.next(CELL, BASE, 7).orElseThrow().announcement().seq();
    clock.advance(Duration.ofHours(-1));
    long second = announcer.next("83194afffffffff", BASE, 7).orElseThrow().announcement().seq();
    assertEquals(first + 1, second, "announced at once, seq still above the last");
  }

  @Test
  void capacityChangeRule() {
    assertFalse(Announcer.capacityChanged(BASE, BASE, 0.1));
    assertTrue(Announcer.capacityChanged(new Capacity(0, 0, Map.of(), 0), new Capacity(1, 0, Map.of(), 0), 0.1));
    assertTrue(Announcer.capacityChanged(BASE, new Capacity(10, 1101, Map.of("NVIDIA L4", 1), 5000), 0.1));
    assertTrue(Announcer.capacityChanged(BASE, new Capacity(10, 1000, Map.of("NVIDIA L4", 2), 5000), 0.1));
  }

  @Test
  void identityWhoseNodeIdIsNotItsKeyIsRefused() {
    NodeIdentity liar = new NodeIdentity() {
      public String nodeId() { return TestIdentity.numbered(2).nodeId(); }
      public String did() { return identity.did(); }
      public String accountAddress() { return identity.accountAddress(); }
      public byte[] ed25519PublicKey() { return identity.ed25519PublicKey(); }
      public byte[] signEd25519(byte[] message) { return identity.signEd25519(message); }
      public String tlsFingerprint() { return identity.tlsFingerprint(); }
    };
    assertThrows(IllegalStateException.class, () -> new Announcer(liar, clock, GeoConfig.defaults()));
  }
}
