package org.powerverse.geo.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.SignedAnnouncement;
import org.powerverse.geo.TestIdentity;

/**
 * Announcements verified per second, one thread: the bare Ed25519 check of a signing input, and a
 * receiver's whole path (parse, canonicalize, key and time checks, verify) on a fresh envelope.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifyBenchmark {

  private static final int COUNT = 1024;
  private final byte[][] envelopes = new byte[COUNT][];
  private final byte[][] inputs = new byte[COUNT][];
  private final byte[][] signatures = new byte[COUNT][];
  private byte[] publicKey;
  private int next;

  @Setup(Level.Trial)
  public void sign() throws Exception {
    TestIdentity identity = TestIdentity.numbered(7);
    publicKey = identity.ed25519PublicKey();
    Instant issued = RandomAnnouncements.EPOCH;
    for (int i = 0; i < COUNT; i++) {
      Announcement a = new Announcement(identity.nodeId(), "87194ad30ffffff",
          new Endpoints("https://node7.example:8443", "https://node7.example:8443", "https://node7.example:8545"),
          new Capacity(12 + i % 50, 34_359_738_368L, Map.of("NVIDIA A100 80GB PCIe", 2), 500_000_000_000L),
          1500, 8200, 1 + i, issued, 1800);
      inputs[i] = AnnouncementCodec.signingInput(a);
      signatures[i] = identity.signEd25519(inputs[i]);
      envelopes[i] = AnnouncementCodec.envelope(new SignedAnnouncement(a, publicKey, signatures[i]));
    }
    jdkKey();
  }

  private java.security.PublicKey jdkKey;

  private void jdkKey() throws Exception {
    byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100" + java.util.HexFormat.of().formatHex(publicKey));
    jdkKey = java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
  }

  /** What edge-geo uses: Bouncy Castle's RFC 8032 verification. */
  @Benchmark
  public boolean ed25519Verify() {
    int i = next++ & (COUNT - 1);
    return Ed25519.verify(publicKey, inputs[i], signatures[i]);
  }

  /** The JDK's own provider on the same inputs, for comparison. */
  @Benchmark
  public boolean jdkEd25519Verify() throws Exception {
    int i = next++ & (COUNT - 1);
    java.security.Signature verifier = java.security.Signature.getInstance("Ed25519");
    verifier.initVerify(jdkKey);
    verifier.update(inputs[i]);
    return verifier.verify(signatures[i]);
  }

  @Benchmark
  public Object receiveEnvelope() {
    // A fresh inbox per call would measure allocation; instead each envelope has a new seq and
    // the rate limit is out of the way, so every call does the full accept path.
    int i = next++ & (COUNT - 1);
    if (i == 0) {
      inbox = new AnnouncementInbox(CLOCK, 4096, 30_000, 600, 10);
      tokensRefill = 0;
    }
    CLOCK_NOW[0] = RandomAnnouncements.EPOCH.plusSeconds(1 + (tokensRefill += 1));
    return inbox.offer(envelopes[i]);
  }

  private AnnouncementInbox inbox;
  private long tokensRefill;
  private static final Instant[] CLOCK_NOW = {RandomAnnouncements.EPOCH};
  private static final Clock CLOCK = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return CLOCK_NOW[0];
    }
  };
}
