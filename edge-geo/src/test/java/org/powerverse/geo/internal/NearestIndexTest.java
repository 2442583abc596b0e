package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;

class NearestIndexTest {

  private static final double TOLERANCE_KM = 1e-5;

  /**
   * Property: for random nodes and queries (poles, antimeridian, pentagons, clusters, filters,
   * expired-but-unswept entries, RTT penalties, every bucket resolution), the index returns exactly
   * the brute-force ranks. Each seed is a reproducible case.
   */
  @Test
  void matchesBruteForceOnRandomData() {
    for (long seed = 1; seed <= 60; seed++) {
      checkSeed(seed);
    }
  }

  /** Dense data, so the ring walk (not the bucket sweep) answers and stops early. */
  @Test
  void matchesBruteForceOnDenseData() {
    for (long seed = 101; seed <= 104; seed++) {
      checkSeed(seed, 20_000, (int) (seed % 2) + 2);
    }
  }

  private static void checkSeed(long seed) {
    RandomAnnouncements gen = new RandomAnnouncements(seed);
    checkSeed(seed, seed % 10 == 0 ? 0 : gen.random().nextInt(2500), gen.random().nextInt(5));
  }

  private static void checkSeed(long seed, int n, int bucketResolution) {
    RandomAnnouncements gen = new RandomAnnouncements(seed);
    NearestIndex index = new NearestIndex(bucketResolution);
    List<Announcement> all = gen.announcements(n, 5 + gen.random().nextInt(4));
    Map<String, Double> penalties = new HashMap<>();
    for (Announcement a : all) {
      index.put(a);
      if (gen.random().nextDouble() < 0.1) {
        double penalty = gen.random().nextDouble() * 500;
        penalties.put(a.nodeId(), penalty);
        index.setRtt(a.nodeId(), 1 + penalty / 100, penalty);
      }
    }
    Instant now = RandomAnnouncements.EPOCH.plusSeconds(600 + gen.random().nextInt(3600));
    if (gen.random().nextBoolean()) {
      index.expire(now);
    }
    BruteForce oracle = new BruteForce(all);
    for (int i = 0; i < 40; i++) {
      NearestQuery query = gen.query(30);
      String label = "seed " + seed + " (n=" + n + ", bucket resolution " + bucketResolution + "), query " + i + ": " + query;
      assertSameAnswer(oracle.nearest(query, now, penalties), index.nearest(query, now), query, now, label);
    }
  }

  static void assertSameAnswer(List<NodeMatch> expected, List<NodeMatch> actual, NearestQuery query, Instant now, String label) {
    assertEquals(expected.size(), actual.size(), label);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < expected.size(); i++) {
      NodeMatch want = expected.get(i);
      NodeMatch got = actual.get(i);
      assertEquals(want.rankKm(), got.rankKm(), TOLERANCE_KM, label + " rank #" + i);
      assertTrue(query.admits(got.announcement()) && !got.announcement().isExpiredAt(now), label + " #" + i + " is a match");
      assertTrue(seen.add(got.announcement().nodeId()), label + " #" + i + " repeated");
      if (Math.abs(want.distanceKm() - got.distanceKm()) > TOLERANCE_KM) {
        // Only a tie on rank may swap two nodes; then the distance must be that node's own.
        double[] c = H3Cells.center(got.announcement().h3Cell());
        assertEquals(BruteForce.haversineKm(query.latitude(), query.longitude(), c[0], c[1]), got.distanceKm(),
            TOLERANCE_KM, label + " distance #" + i);
      }
    }
  }

  private static Announcement at(String nodeSeedHex, double lat, double lon, int vcpus, long price, Map<String, Integer> gpus) {
    byte[] key = java.util.HexFormat.of().parseHex(nodeSeedHex.repeat(32));
    return new Announcement(PeerIds.ofEd25519(key), H3Cells.cell(lat, lon, 7), Endpoints.NONE,
        new Capacity(vcpus, 1L << 30, gpus, 0), price, 0, 1, RandomAnnouncements.EPOCH, 600);
  }

  @Test
  void nearestAcrossTheAntimeridianIsFoundFirst() {
    NearestIndex index = new NearestIndex();
    Announcement fiji = at("01", -17.8, 179.9, 4, 10, Map.of());
    Announcement samoa = at("02", -13.8, -171.8, 4, 10, Map.of());
    Announcement sydney = at("03", -33.9, 151.2, 4, 10, Map.of());
    List.of(fiji, samoa, sydney).forEach(index::put);
    List<NodeMatch> near = index.nearest(NearestQuery.near(-17.8, -179.95, 3), RandomAnnouncements.EPOCH);
    assertEquals(List.of(fiji.nodeId(), samoa.nodeId(), sydney.nodeId()),
        near.stream().map(m -> m.announcement().nodeId()).toList());
    assertTrue(near.get(0).distanceKm() < 20, "across the line, not around the world: " + near.get(0).distanceKm());
  }

  @Test
  void nodesAroundThePoleAreAllNearThePole() {
    NearestIndex index = new NearestIndex();
    List<Announcement> polar = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      polar.add(at(String.format("%02x", 0x10 + i), 89.5, -180 + 30 * i, 4, 10, Map.of()));
    }
    polar.forEach(index::put);
    index.put(at("40", 80, 0, 4, 10, Map.of()));
    List<NodeMatch> near = index.nearest(NearestQuery.near(90, 0, 12), RandomAnnouncements.EPOCH);
    assertEquals(12, near.size());
    for (NodeMatch m : near) {
      assertEquals(55.6, m.distanceKm(), 2.0, "0.5 degree from the pole");
    }
  }

  @Test
  void filtersSelectByGpuVcpusAndPrice() {
    NearestIndex index = new NearestIndex();
    Announcement cheapSmall = at("01", 51.5, -0.1, 2, 5, Map.of());
    Announcement gpu = at("02", 48.8, 2.3, 16, 50, Map.of("NVIDIA H100 80GB HBM3", 2));
    Announcement big = at("03", 52.5, 13.4, 64, 20, Map.of());
    List.of(cheapSmall, gpu, big).forEach(index::put);
    Instant now = RandomAnnouncements.EPOCH;
    assertEquals(List.of(gpu), ids(index.nearest(new NearestQuery(51.5, -0.1, 5, "NVIDIA H100 80GB HBM3", null, null), now)));
    assertEquals(List.of(gpu, big), ids(index.nearest(new NearestQuery(51.5, -0.1, 5, null, 16, null), now)));
    assertEquals(List.of(cheapSmall, big), ids(index.nearest(new NearestQuery(51.5, -0.1, 5, null, null, 20L), now)));
    assertEquals(List.of(), ids(index.nearest(new NearestQuery(51.5, -0.1, 5, "NVIDIA B200", null, null), now)));
  }

  @Test
  void expiryRemovesExactlyTheExpiredWithoutScanningAndLiveQueriesHideThemMeanwhile() {
    NearestIndex index = new NearestIndex();
    Announcement shortLived = new Announcement(at("01", 10, 10, 1, 1, Map.of()).nodeId(), H3Cells.cell(10, 10, 7),
        Endpoints.NONE, Capacity.NONE, 0, 0, 1, RandomAnnouncements.EPOCH, 60);
    Announcement longLived = at("02", 10.1, 10, 1, 1, Map.of());
    index.put(shortLived);
    index.put(longLived);
    Instant later = RandomAnnouncements.EPOCH.plusSeconds(60);
    assertEquals(List.of(longLived), ids(index.nearest(NearestQuery.near(10, 10, 5), later)), "hidden before the sweep");
    assertEquals(1, index.expire(later));
    assertEquals(1, index.size());
    assertEquals(0, index.expire(later));
  }

  @Test
  void olderSeqNeverReplacesNewer() {
    NearestIndex index = new NearestIndex();
    Announcement a = at("01", 10, 10, 1, 1, Map.of());
    Announcement newer = new Announcement(a.nodeId(), H3Cells.cell(20, 20, 7), a.endpoints(), a.capacity(), 1, 0, 2,
        a.issuedAt(), a.ttl());
    assertTrue(index.put(newer));
    assertFalse(index.put(a));
    assertEquals(newer, index.get(a.nodeId()).orElseThrow());
    // The replaced entry's expiry record must not remove the newer one.
    Announcement newest = new Announcement(a.nodeId(), a.h3Cell(), a.endpoints(), a.capacity(), 1, 0, 3,
        a.issuedAt().plusSeconds(600), a.ttl());
    assertTrue(index.put(newest));
    assertEquals(0, index.expire(a.expiresAt()));
    assertEquals(1, index.size());
  }

  @Test
  void rttPenaltyPushesASlowNodeBack() {
    NearestIndex index = new NearestIndex();
    Announcement near = at("01", 50.0, 8.0, 4, 10, Map.of());
    Announcement farther = at("02", 50.5, 8.0, 4, 10, Map.of());
    index.put(near);
    index.put(farther);
    index.setRtt(near.nodeId(), 20, 1000);
    List<NodeMatch> ranked = index.nearest(NearestQuery.near(50.0, 8.0, 2), RandomAnnouncements.EPOCH);
    assertEquals(List.of(farther, near), ids(ranked));
    assertEquals(20.0, ranked.get(1).rttMs());
    assertTrue(ranked.get(1).rankKm() > 1000);
  }

  /** The benchmark's baseline must give the oracle's answer too. */
  @Test
  void topKBruteForceAgreesWithTheSortingOracle() {
    RandomAnnouncements gen = new RandomAnnouncements(5);
    List<Announcement> all = gen.announcements(3000, 7);
    BruteForce oracle = new BruteForce(all);
    Instant now = RandomAnnouncements.EPOCH.plusSeconds(2000);
    for (int i = 0; i < 200; i++) {
      NearestQuery query = gen.query(30);
      assertSameAnswer(oracle.nearest(query, now, Map.of()), oracle.nearestTopK(query, now), query, now, "query " + i);
    }
  }

  @Test
  void parentByBitsAgreesWithH3() {
    RandomAnnouncements gen = new RandomAnnouncements(7);
    for (int i = 0; i < 2000; i++) {
      double[] p = gen.point();
      int res = gen.random().nextInt(16);
      long cell = H3Cells.cellIndex(p[0], p[1], res);
      for (int parent = 0; parent <= 15; parent++) {
        long expected = parent >= res ? cell : H3Cells.h3().cellToParent(cell, parent);
        assertEquals(expected, NearestIndex.parent(cell, parent), "cell " + Long.toHexString(cell) + " to " + parent);
      }
    }
  }

  private static List<Announcement> ids(List<NodeMatch> matches) {
    return matches.stream().map(NodeMatch::announcement).toList();
  }
}
