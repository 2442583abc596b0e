package org.powerverse.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinomialSortitionTest {

  static final int BITS = BinomialSortition.HASH_BITS;
  static final BigInteger TOP = BigInteger.ONE.shiftLeft(BITS);

  /**
   * Random hashes, plus the hashes on both sides of each boundary the random ones landed next
   * to, and of boundaries 0..3: c_j - 1 lies in interval j, c_j in interval j+1.
   */
  static List<BigInteger> hashesFor(ExactBinomialOracle oracle, long w, SplittableRandom random,
      int randomCount) {
    List<BigInteger> hashes = new ArrayList<>();
    hashes.add(BigInteger.ZERO);
    if (w <= 2000) {
      // The far tail: the oracle walks all the way to CDF(j) > 1 - 2^-512.
      hashes.add(TOP.subtract(BigInteger.ONE));
    }
    for (int i = 0; i < randomCount; i++) {
      byte[] bytes = new byte[BITS / 8];
      random.nextBytes(bytes);
      BigInteger hash = new BigInteger(1, bytes);
      hashes.add(hash);
      long j = oracle.subUsers(hash);
      for (long edge : new long[] {j - 1, j}) {
        addEdges(hashes, oracle, edge, w);
      }
    }
    for (long edge = 0; edge < 4; edge++) {
      addEdges(hashes, oracle, edge, w);
    }
    return hashes;
  }

  private static void addEdges(List<BigInteger> hashes, ExactBinomialOracle oracle, long j, long w) {
    if (j < 0 || j >= w) {
      return;
    }
    BigInteger c = oracle.boundary(j);
    for (BigInteger h : new BigInteger[] {c.subtract(BigInteger.ONE), c, c.add(BigInteger.ONE),
        c.subtract(BigInteger.ONE.shiftLeft(BITS - 60)), c.add(BigInteger.ONE.shiftLeft(BITS - 60))}) {
      if (h.signum() >= 0 && h.compareTo(TOP) < 0) {
        hashes.add(h);
      }
    }
  }

  static void assertAgrees(ExactBinomialOracle oracle, BigInteger hash, long w, long total, long tau) {
    long expected = oracle.subUsers(hash);
    String what = "w=" + w + " W=" + total + " tau=" + tau + " hash=" + hash.toString(16);
    assertEquals(expected, BinomialSortition.subUsers(hash, BITS, w, total, tau), what);
    if (w == 0 || tau == total) {
      return;
    }
    long fast = BinomialSortition.subUsersDouble(hash, BITS, w, total, tau);
    assertTrue(fast == -1 || fast == expected, "double layer answered wrong: " + fast + " " + what);
    BigDecimal r = new BigDecimal(hash).multiply(BigDecimal.valueOf(5).pow(BITS)).movePointLeft(BITS);
    long interval = BinomialSortition.subUsersInterval(r, w, total, tau, 40);
    assertTrue(interval == -1 || interval == expected, "interval layer answered wrong: " + what);
  }

  @Test
  void matchesExactRationalsOnRandomInputsAndIntervalEdges() {
    SplittableRandom random = new SplittableRandom(20260101);
    int edgeCasesDecidedByFallback = 0;
    for (int n = 0; n < 300; n++) {
      // w log-uniform in [1, 2·10^5], W from w to 100·w, τ log-uniform in [1, min(W, 5000)]
      // (committees expect thousands; w·τ/W ≤ τ bounds the walk), and for small w any τ ≤ W.
      long w = Math.max(1, (long) Math.exp(random.nextDouble() * Math.log(2e5)));
      long total = w + (long) (random.nextDouble() * 99 * w);
      long tauCap = w <= 2000 ? total : Math.min(total, 5000);
      long tau = Math.max(1, Math.min(tauCap, (long) Math.exp(random.nextDouble() * Math.log(tauCap + 1))));
      ExactBinomialOracle oracle = new ExactBinomialOracle(w, total, tau, BITS);
      for (BigInteger hash : hashesFor(oracle, w, random, 3)) {
        assertAgrees(oracle, hash, w, total, tau);
        if (tau < total && BinomialSortition.subUsersDouble(hash, BITS, w, total, tau) == -1) {
          edgeCasesDecidedByFallback++;
        }
      }
    }
    assertTrue(edgeCasesDecidedByFallback > 100,
        "edges should exercise the BigDecimal layer, did " + edgeCasesDecidedByFallback);
  }

  @Test
  void matchesExactRationalsForWeightsNearOneMillion() {
    SplittableRandom random = new SplittableRandom(1_000_000);
    // The oracle's numbers have w·log2(W) bits (20-30 million here) and it walks j by j, so the
    // cases keep w·p small: a proposer-sized τ, and a committee-sized τ with a large W. W a power
    // of two keeps the oracle's W^w a shift; the code under test does not know.
    long[][] cases = {{1_000_000, 1L << 20, 100}, {999_983, 1L << 20, 20},
        {1_000_000, 1_000_000_007, 2990}};
    for (long[] c : cases) {
      ExactBinomialOracle oracle = new ExactBinomialOracle(c[0], c[1], c[2], BITS);
      for (BigInteger hash : hashesFor(oracle, c[0], random, 10)) {
        assertAgrees(oracle, hash, c[0], c[1], c[2]);
      }
    }
  }

  @Test
  void hashOnABoundaryBelongsToTheNextInterval() {
    // p = 1/2 and w ≤ 512: every CDF(j) = N_j / 2^w is a 512-bit fraction, so hashes can sit
    // exactly on a boundary, which only the exact layer can settle.
    for (long w : new long[] {1, 2, 3, 10, 100, 512}) {
      ExactBinomialOracle oracle = new ExactBinomialOracle(w, 2 * w, w, BITS);
      for (long j = 0; j < w; j++) {
        BigInteger boundary = oracle.boundary(j);
        assertEquals(j + 1, BinomialSortition.subUsers(boundary, BITS, w, 2 * w, w), "w=" + w + " j=" + j);
        assertEquals(j, BinomialSortition.subUsers(boundary.subtract(BigInteger.ONE), BITS, w, 2 * w, w));
        assertEquals(j + 1, BinomialSortition.subUsersExact(boundary, BITS, w, 2 * w, w));
      }
    }
  }

  @Test
  void exactLayerMatchesOracle() {
    SplittableRandom random = new SplittableRandom(3);
    for (int n = 0; n < 25; n++) {
      long w = 1 + random.nextLong(2000);
      long total = w + random.nextLong(5000);
      long tau = 1 + random.nextLong(total - 1 > 0 ? total - 1 : 1);
      if (tau >= total) {
        continue;
      }
      ExactBinomialOracle oracle = new ExactBinomialOracle(w, total, tau, BITS);
      for (BigInteger hash : hashesFor(oracle, w, random, 2)) {
        assertEquals(oracle.subUsers(hash), BinomialSortition.subUsersExact(hash, BITS, w, total, tau));
      }
    }
  }

  @Test
  void degenerateDistributions() {
    BigInteger any = BigInteger.ONE.shiftLeft(BITS - 1);
    assertEquals(0, BinomialSortition.subUsers(any, BITS, 0, 100, 10), "no weight");
    assertEquals(7, BinomialSortition.subUsers(BigInteger.ZERO, BITS, 7, 10, 10), "p = 1");
    assertEquals(0, BinomialSortition.subUsers(BigInteger.ZERO, BITS, 7, 10, 9), "r = 0");
  }

  @Test
  void rejectsArgumentsOutsideTheirRanges() {
    BigInteger h = BigInteger.TEN;
    assertThrows(IllegalArgumentException.class, () -> BinomialSortition.subUsers(h, BITS, 11, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> BinomialSortition.subUsers(h, BITS, -1, 10, 1));
    assertThrows(IllegalArgumentException.class, () -> BinomialSortition.subUsers(h, BITS, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> BinomialSortition.subUsers(h, BITS, 1, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> BinomialSortition.subUsers(h, BITS, 1, 10, 11));
    assertThrows(IllegalArgumentException.class, () -> BinomialSortition.subUsers(TOP, BITS, 1, 10, 1));
  }
}
