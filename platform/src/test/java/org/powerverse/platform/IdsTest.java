package org.powerverse.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void ulidEncodesTheTimeInItsFirstTenCharacters() {
    // The ULID spec's example time: 1469918176385 ms -> "01ARYZ6S41".
    Clock clock = Clock.fixed(Instant.ofEpochMilli(1469918176385L), ZoneOffset.UTC);
    String id = Ids.ulid(clock, new SplittableRandom(1));
    assertEquals(26, id.length());
    assertEquals("01ARYZ6S41", id.substring(0, 10));
  }

  @Test
  void laterIdsSortAfterEarlierOnes() {
    SplittableRandom random = new SplittableRandom(7);
    String earlier = Ids.ulid(Clock.fixed(Instant.ofEpochMilli(1_000), ZoneOffset.UTC), random);
    String later = Ids.ulid(Clock.fixed(Instant.ofEpochMilli(1_001), ZoneOffset.UTC), random);
    assertTrue(earlier.compareTo(later) < 0);
  }
}
