package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.MutableClock;
import org.powerverse.geo.ReceiveOutcome;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.geo.TestIdentity;

class AnnouncementInboxTest {

  private static final TestIdentity NODE = TestIdentity.ofHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  private static final TestIdentity OTHER = TestIdentity.ofHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  private static final Instant ISSUED = Instant.parse("2025-11-24T22:00:00Z");

  private final MutableClock clock = new MutableClock(ISSUED.plusSeconds(1));
  private final AnnouncementInbox inbox = new AnnouncementInbox(clock, 4096, 30_000, 6, 1000);

  static byte[] signed(TestIdentity identity, long seq, Instant issuedAt, long ttl) {
    Announcement a = new Announcement(identity.nodeId(), "87194ad30ffffff", Endpoints.NONE,
        new Capacity(4, 1L << 33, Map.of(), 0), 10, 1, seq, issuedAt, ttl);
    byte[] signature = identity.signEd25519(AnnouncementCodec.signingInput(a));
    return AnnouncementCodec.envelope(new SignedAnnouncement(a, identity.ed25519PublicKey(), signature));
  }

  private ReceiveOutcome offer(byte[] envelope) {
    return inbox.offer(envelope).receipt().outcome();
  }

  @Test
  void goldenEnvelopeIsAcceptedOnceThenDuplicate() throws Exception {
    byte[] golden = AnnouncementCodecTest.file("announcement-1.envelope.json");
    AnnouncementInbox.Decision first = inbox.offer(golden);
    assertEquals(ReceiveOutcome.accepted, first.receipt().outcome(), first.receipt().detail());
    assertEquals(NODE.nodeId(), first.accepted().orElseThrow().announcement().nodeId());
    assertEquals(ReceiveOutcome.duplicate, offer(golden));
  }

  @Test
  void lowerOrEqualSeqIsStale() {
    assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, 10, ISSUED, 600)));
    assertEquals(ReceiveOutcome.stale, offer(signed(NODE, 9, ISSUED, 600)));
    assertEquals(ReceiveOutcome.stale, offer(signed(NODE, 10, ISSUED.plusMillis(1), 600)), "same seq, other content");
    assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, 11, ISSUED, 600)));
    assertEquals(11L, inbox.knownSeq(NODE.nodeId()).orElseThrow());
  }

  @Test
  void expiredAndFutureDatedAreRejected() {
    assertEquals(ReceiveOutcome.expired, offer(signed(NODE, 1, ISSUED.minusSeconds(600), 601)));
    assertEquals(ReceiveOutcome.futureDated, offer(signed(NODE, 2, clock.instant().plusSeconds(31), 600)));
    assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, 3, clock.instant().plusSeconds(30), 600)), "within the skew bound");
  }

  @Test
  void oversizedEnvelopeIsRejectedUnread() {
    AnnouncementInbox small = new AnnouncementInbox(clock, 600, 30_000, 6, 1000);
    byte[] envelope = signed(NODE, 1, ISSUED, 600);
    assertTrue(envelope.length > 400);
    byte[] padded = new byte[601];
    System.arraycopy(envelope, 0, padded, 0, envelope.length);
    assertEquals(ReceiveOutcome.oversized, small.offer(padded).receipt().outcome());
  }

  @Test
  void keyThatIsNotTheNodeIdsKeyIsRejected() throws Exception {
    String golden = new String(AnnouncementCodecTest.file("announcement-1.envelope.json"));
    String otherKey = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(OTHER.ed25519PublicKey());
    String swapped = golden.replace("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", otherKey);
    AnnouncementInbox.Decision decision = inbox.offer(swapped.getBytes());
    assertEquals(ReceiveOutcome.keyMismatch, decision.receipt().outcome());
  }

  @Test
  void tamperedContentFailsTheSignature() throws Exception {
    String golden = new String(AnnouncementCodecTest.file("announcement-1.envelope.json"));
    assertEquals(ReceiveOutcome.badSignature, offer(golden.replace("\"price\":1500", "\"price\":1").getBytes()));
    assertEquals(ReceiveOutcome.malformed, offer(golden.replace("\"price\":1500", "\"price\":1.0").getBytes()));
    assertTrue(inbox.knownSeq(NODE.nodeId()).isEmpty(), "nothing unverified is remembered");
  }

  @Test
  void perNodeRateLimitRefillsWithTime() {
    for (int seq = 1; seq <= 6; seq++) {
      assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, seq, ISSUED, 600)), "seq " + seq);
    }
    assertEquals(ReceiveOutcome.rateLimited, offer(signed(NODE, 7, ISSUED, 600)));
    assertEquals(ReceiveOutcome.accepted, offer(signed(OTHER, 1, ISSUED, 600)), "the limit is per node");
    clock.advance(Duration.ofSeconds(10));
    assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, 7, ISSUED, 600)), "one token back after 10 s");
    assertEquals(ReceiveOutcome.rateLimited, offer(signed(NODE, 8, ISSUED, 600)));
  }

  @Test
  void newNodesAreRefusedWhenFull() {
    AnnouncementInbox tiny = new AnnouncementInbox(clock, 4096, 30_000, 6, 1);
    assertEquals(ReceiveOutcome.accepted, tiny.offer(signed(NODE, 1, ISSUED, 600)).receipt().outcome());
    assertEquals(ReceiveOutcome.full, tiny.offer(signed(OTHER, 1, ISSUED, 600)).receipt().outcome());
    assertEquals(ReceiveOutcome.accepted, tiny.offer(signed(NODE, 2, ISSUED, 600)).receipt().outcome(), "known nodes go on");
  }

  @Test
  void olderLongLivedAnnouncementCannotBeReplayedAfterANewerShortOneLapsed() {
    byte[] longLived = signed(NODE, 5, ISSUED, 3600);
    assertEquals(ReceiveOutcome.accepted, offer(longLived));
    assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, 6, ISSUED, 60)));
    clock.advance(Duration.ofSeconds(120));
    assertEquals(ReceiveOutcome.stale, offer(longLived));
  }

  @Test
  void nodesAreForgottenOnceEverythingTheySentExpired() {
    assertEquals(ReceiveOutcome.accepted, offer(signed(NODE, 1, ISSUED, 600)));
    assertEquals(1, inbox.size());
    clock.advance(Duration.ofSeconds(600));
    inbox.forgetUntil(clock.millis());
    assertEquals(0, inbox.size());
  }
}
