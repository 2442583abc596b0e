package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.geo.TestIdentity;

class AnnouncementCodecTest {

  private static final String TEST1 = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String TEST2 = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";

  static byte[] file(String name) throws Exception {
    return Files.readAllBytes(Path.of("src/test/resources/announcements", name));
  }

  /** Announcement 1 as the hand-written fixture describes it. */
  static Announcement one() {
    return new Announcement("12D3KooWQK1wnefoLrcVHbbnf5tLzbopUd3K3bFAoJpA7YJgL5pV", "87194ad30ffffff",
        new Endpoints("https://node1.example:8443", "https://node1.example:8443", "https://node1.example:8545"),
        new Capacity(12, 34_359_738_368L, Map.of("NVIDIA GeForce RTX 4090", 1, "NVIDIA A100 80GB PCIe", 2), 500_000_000_000L),
        1500, 8200, 1_764_021_600_000L, Instant.parse("2025-11-24T22:00:00Z"), 1800);
  }

  @Test
  void canonicalBytesMatchTheIndependentGoldenFile() throws Exception {
    assertEquals(new String(file("announcement-1.canonical.json"), StandardCharsets.UTF_8),
        new String(AnnouncementCodec.canonical(one()), StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @CsvSource({"1, " + TEST1, "2, " + TEST2})
  void signingReproducesTheGoldenEnvelope(int n, String seed) throws Exception {
    SignedAnnouncement parsed = AnnouncementCodec.parseEnvelope(file("announcement-" + n + ".envelope.json"));
    assertArrayEquals(file("announcement-" + n + ".canonical.json"), AnnouncementCodec.canonical(parsed.announcement()));
    TestIdentity identity = TestIdentity.ofHex(seed);
    assertEquals(identity.nodeId(), parsed.announcement().nodeId());
    byte[] signature = identity.signEd25519(AnnouncementCodec.signingInput(parsed.announcement()));
    assertArrayEquals(parsed.signature(), signature, "Ed25519 is deterministic: same input, same signature");
    SignedAnnouncement signed = new SignedAnnouncement(parsed.announcement(), identity.ed25519PublicKey(), signature);
    assertArrayEquals(file("announcement-" + n + ".envelope.json"), AnnouncementCodec.envelope(signed));
    assertTrue(Ed25519.verify(signed.publicKey(), AnnouncementCodec.signingInput(signed.announcement()), signature));
  }

  @Test
  void parsedEnvelopeEqualsTheHandWrittenAnnouncement() throws Exception {
    assertEquals(one(), AnnouncementCodec.parseEnvelope(file("announcement-1.envelope.json")).announcement());
  }

  @Test
  void randomAnnouncementsRoundTripThroughTheEnvelope() {
    RandomAnnouncements gen = new RandomAnnouncements(11);
    TestIdentity identity = TestIdentity.numbered(3);
    for (int i = 0; i < 300; i++) {
      Announcement r = gen.announcement(gen.random().nextInt(16));
      Endpoints endpoints = gen.random().nextBoolean() ? Endpoints.NONE
          : new Endpoints("https://n" + i + ".example:8443", null, gen.random().nextBoolean() ? "http://[2001:db8::" + i + "]:8545" : null);
      Announcement a = new Announcement(identity.nodeId(), r.h3Cell(), endpoints, r.capacity(), r.price(), r.score(),
          r.seq(), r.issuedAt().plusMillis(gen.random().nextInt(1000)), r.ttl());
      SignedAnnouncement signed = new SignedAnnouncement(a, identity.ed25519PublicKey(),
          identity.signEd25519(AnnouncementCodec.signingInput(a)));
      byte[] envelope = AnnouncementCodec.envelope(signed);
      SignedAnnouncement parsed = AnnouncementCodec.parseEnvelope(envelope);
      assertEquals(signed, parsed, "announcement " + i);
      assertArrayEquals(envelope, AnnouncementCodec.envelope(parsed), "envelope bytes are canonical, " + i);
      assertTrue(Ed25519.verify(parsed.publicKey(), AnnouncementCodec.signingInput(parsed.announcement()), parsed.signature()));
    }
  }

  @Test
  void signingInputIsDomainThenCanonicalJson() {
    byte[] input = AnnouncementCodec.signingInput(one());
    String text = new String(input, StandardCharsets.UTF_8);
    assertTrue(text.startsWith("powerverse/geo/announcement/v1\n{\"capacity\":"), text);
  }

  @ParameterizedTest
  @CsvSource({
      "duplicate-member.json, $",
      "unknown-member.json, announcement.priority",
      "fractional-number.json, announcement.price",
      "negative-number.json, announcement.score",
      "number-as-string.json, announcement.ttl",
      "missing-seq.json, announcement.seq",
      "padded-signature.json, signature",
      "short-public-key.json, publicKey",
      "bad-issued-at.json, announcement.issuedAt",
      "bad-cell.json, announcement.h3Cell",
      "bad-endpoint.json, announcement.endpoints.rpc",
      "bad-gpu-count.json, announcement.capacity.gpus.NVIDIA GeForce RTX 4090",
      "zero-seq.json, announcement.seq",
      "too-big-integer.json, announcement.capacity.cacheBytes",
      "not-an-object.json, $",
      "trailing-garbage.json, $"})
  void malformedEnvelopesNameTheBadMember(String name, String field) throws Exception {
    MalformedAnnouncementException e = assertThrows(MalformedAnnouncementException.class,
        () -> AnnouncementCodec.parseEnvelope(file("malformed/" + name)));
    assertEquals(field, e.field(), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"announcement-1.json", "announcement-2.json"})
  void handWrittenFixturesAreValidAnnouncementsButNotEnvelopes(String name) {
    MalformedAnnouncementException e = assertThrows(MalformedAnnouncementException.class,
        () -> AnnouncementCodec.parseEnvelope(file(name)));
    assertTrue(e.field().startsWith("nodeId") || e.field().startsWith("h3Cell"), e.getMessage());
  }
}
