package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SortitionTest {

  static final HexFormat HEX = HexFormat.of();
  static final byte[] SECRET = HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
  static final byte[] PUBLIC = Ecvrf.publicKey(SECRET);
  static final byte[] SEED = Sortition.genesisSeed(new byte[32]);
  static final long W = 1_000_000;

  @Test
  void rolesEncodeAsTagRoundAndStep() {
    assertEquals("00" + "0000000000000007" + "00000000", HEX.formatHex(new SortitionRole.Seed(7).encode()));
    assertEquals("01" + "0000000000000007" + "00000000", HEX.formatHex(new SortitionRole.Proposer(7).encode()));
    assertEquals("02" + "0000000000000007" + "00000003", HEX.formatHex(new SortitionRole.Committee(7, 3).encode()));
    assertThrows(IllegalArgumentException.class, () -> new SortitionRole.Committee(7, 0));
    assertThrows(IllegalArgumentException.class, () -> new SortitionRole.Proposer(-1));
  }

  @Test
  void alphaIsSeedThenRole() {
    byte[] alpha = Sortition.alpha(SEED, new SortitionRole.Committee(9, 1));
    assertArrayEquals(SEED, Arrays.copyOf(alpha, 32));
    assertArrayEquals(new SortitionRole.Committee(9, 1).encode(), Arrays.copyOfRange(alpha, 32, 45));
    assertThrows(IllegalArgumentException.class, () -> Sortition.alpha(new byte[31], new SortitionRole.Proposer(1)));
  }

  @Test
  void verifySortReturnsTheSameSubUsersAsSortition() {
    int selected = 0;
    for (int round = 1; round <= 30; round++) {
      SortitionRole role = new SortitionRole.Committee(round, 1 + round % 3);
      SortitionTicket ticket = Sortition.select(SECRET, SEED, 2000, role, 50_000, W);
      assertEquals(ticket.subUsers(), Sortition.subUsers(ticket.hash(), 50_000, W, 2000));
      assertEquals(ticket.subUsers(), Sortition.verify(PUBLIC, ticket.hash(), ticket.proof(), SEED,
          2000, role, 50_000, W));
      selected += ticket.selected() ? 1 : 0;
    }
    assertTrue(selected > 20, "w·p = 100 expected sub-users: nearly always selected");
  }

  @Test
  void verifySortRejectsProofForAnotherSeedRoleOrKey() {
    SortitionRole role = new SortitionRole.Proposer(12);
    SortitionTicket ticket = Sortition.select(SECRET, SEED, 20, role, W, W);
    assertTrue(ticket.subUsers() > 0, "all the weight, τ = 20: j about 20");
    byte[] otherSeed = Sortition.emptyBlockSeed(SEED, 1);
    assertEquals(0, Sortition.verify(PUBLIC, ticket.hash(), ticket.proof(), otherSeed, 20, role, W, W));
    assertEquals(0, Sortition.verify(PUBLIC, ticket.hash(), ticket.proof(), SEED, 20,
        new SortitionRole.Proposer(13), W, W));
    assertEquals(0, Sortition.verify(PUBLIC, ticket.hash(), ticket.proof(), SEED, 20,
        new SortitionRole.Committee(12, 1), W, W));
    byte[] otherKey = Ecvrf.publicKey(new byte[32]);
    assertEquals(0, Sortition.verify(otherKey, ticket.hash(), ticket.proof(), SEED, 20, role, W, W));
    byte[] otherHash = ticket.hash();
    otherHash[0] ^= 1;
    assertEquals(0, Sortition.verify(PUBLIC, otherHash, ticket.proof(), SEED, 20, role, W, W));
  }

  @Test
  void subUsersAverageWeightTimesTauOverTotal() {
    // E[j] = w·τ/W; over 4000 outputs the mean is within 5 standard errors of it.
    SplittableRandom random = new SplittableRandom(5);
    long w = 30_000;
    long tau = 2000;
    double expected = (double) w * tau / W;
    double sum = 0;
    int n = 4000;
    for (int i = 0; i < n; i++) {
      byte[] output = new byte[64];
      random.nextBytes(output);
      sum += Sortition.subUsers(output, w, W, tau);
    }
    double stdError = Math.sqrt(expected * (1 - (double) tau / W) / n);
    assertEquals(expected, sum / n, 5 * stdError);
  }

  @Test
  void priorityIsTheLowestSubUserHash() throws Exception {
    byte[] output = new byte[64];
    new SplittableRandom(1).nextBytes(output);
    assertTrue(Sortition.priority(output, 0).isEmpty());
    byte[] best = null;
    for (long i = 1; i <= 5; i++) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(output);
      byte[] h = sha256.digest(ByteBuffer.allocate(8).putLong(i).array());
      if (best == null || Arrays.compareUnsigned(h, best) < 0) {
        best = h;
      }
    }
    assertArrayEquals(best, Sortition.priority(output, 5).orElseThrow());
  }

  @Test
  void seedsChainFromTheProposersOutput() {
    long round = 8;
    VrfResult seedProof = Ecvrf.prove(SECRET, Sortition.alpha(SEED, new SortitionRole.Seed(round)));
    byte[] next = Sortition.nextSeed(SEED, round, PUBLIC, seedProof.proof()).orElseThrow();
    assertArrayEquals(Arrays.copyOf(seedProof.output(), 32), next);
    assertTrue(Sortition.nextSeed(SEED, round + 1, PUBLIC, seedProof.proof()).isEmpty());
    byte[] empty = Sortition.emptyBlockSeed(SEED, round);
    assertFalse(Arrays.equals(empty, Sortition.emptyBlockSeed(SEED, round + 1)));
    assertEquals(32, empty.length);
  }
}
