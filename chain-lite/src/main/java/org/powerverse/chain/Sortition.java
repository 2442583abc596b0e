package org.powerverse.chain;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.internal.BinomialSortition;

/**
 * Stake-weighted cryptographic sortition exactly as the whitepaper's {@code Sortition} and
 * {@code VerifySort}: {@code <hash, π> = VRF_sk(seed || role)}, p = τ/W, and j is the index of the
 * interval [CDF(j-1), CDF(j)) of the binomial B(k; w, p) that hash / 2^hashlen falls in (CDF(-1) =
 * 0, as go-algorand reads the whitepaper's intervals), so j = 0 is "not selected". hashlen = 512,
 * the whole RFC 9381 output. The binomial makes splitting stake pointless: B(k1 + k2; w1 + w2, p)
 * is the convolution of B(k1; w1, p) and B(k2; w2, p).
 *
 * <p>j is exact: the same as comparing the rationals hash / 2^512 and CDF(j) (see {@link
 * BinomialSortition} for how it stays fast).
 */
public final class Sortition {

  public static final int SEED_BYTES = 32;

  private static final byte[] GENESIS_SEED_TAG =
      "PowerVerse sortition seed, genesis".getBytes(StandardCharsets.US_ASCII);

  private Sortition() {}

  /** The VRF input {@code seed || role}. */
  public static byte[] alpha(byte[] seed, SortitionRole role) {
    requireSeed(seed);
    byte[] roleBytes = Objects.requireNonNull(role, "role").encode();
    byte[] alpha = Arrays.copyOf(seed, SEED_BYTES + roleBytes.length);
    System.arraycopy(roleBytes, 0, alpha, SEED_BYTES, roleBytes.length);
    return alpha;
  }

  /** Whitepaper {@code Sortition(sk, seed, τ, role, w, W)}. */
  public static SortitionTicket select(byte[] secretKey, byte[] seed, long tau, SortitionRole role,
      long weight, long totalWeight) {
    VrfResult vrf = Ecvrf.prove(secretKey, alpha(seed, role));
    return new SortitionTicket(vrf.output(), vrf.proof(),
        subUsers(vrf.output(), weight, totalWeight, tau));
  }

  /**
   * Whitepaper {@code VerifySort(pk, hash, π, seed, τ, role, w, W)}: j, or 0 when π is not a
   * valid proof of {@code seed || role} under pk with output {@code hash}.
   */
  public static long verify(byte[] publicKey, byte[] hash, byte[] proof, byte[] seed, long tau,
      SortitionRole role, long weight, long totalWeight) {
    Objects.requireNonNull(hash, "hash");
    Optional<byte[]> output = Ecvrf.verify(publicKey, alpha(seed, role), proof);
    if (output.isEmpty() || !MessageDigest.isEqual(output.get(), hash)) {
      return 0;
    }
    return subUsers(hash, weight, totalWeight, tau);
  }

  /**
   * j for a VRF output: the sub-user count of a node with stake weight w out of W when τ
   * sub-users are expected.
   */
  public static long subUsers(byte[] vrfOutput, long weight, long totalWeight, long tau) {
    if (Objects.requireNonNull(vrfOutput, "vrfOutput").length != Ecvrf.OUTPUT_BYTES) {
      throw new IllegalArgumentException(
          "a VRF output has " + Ecvrf.OUTPUT_BYTES + " bytes, got " + vrfOutput.length);
    }
    return BinomialSortition.subUsers(new BigInteger(1, vrfOutput), BinomialSortition.HASH_BITS,
        weight, totalWeight, tau);
  }

  /**
   * A selected node's priority (Algorand): the lowest of SHA-256(hash || i) over its sub-users
   * i = 1..j (i as 8 bytes big-endian); compare as unsigned big-endian, lowest wins. Empty when
   * j = 0.
   */
  public static Optional<byte[]> priority(byte[] vrfOutput, long subUsers) {
    if (subUsers < 0) {
      throw new IllegalArgumentException("sub-users are not negative, got " + subUsers);
    }
    byte[] best = null;
    MessageDigest sha256 = sha256();
    for (long i = 1; i <= subUsers; i++) {
      sha256.update(vrfOutput);
      byte[] candidate = sha256.digest(ByteBuffer.allocate(8).putLong(i).array());
      if (best == null || Arrays.compareUnsigned(candidate, best) < 0) {
        best = candidate;
      }
    }
    return Optional.ofNullable(best);
  }

  /** seed_0 = SHA-256("PowerVerse sortition seed, genesis" || genesis block hash). */
  public static byte[] genesisSeed(byte[] genesisHash) {
    MessageDigest sha256 = sha256();
    sha256.update(GENESIS_SEED_TAG);
    return sha256.digest(Objects.requireNonNull(genesisHash, "genesisHash"));
  }

  /**
   * seed_r when round r's block carries its proposer's seed proof: the first 32 bytes of the
   * VRF output over {@code alpha(seed_{r-1}, Seed(r))}, or empty when the proof does not verify.
   */
  public static Optional<byte[]> nextSeed(byte[] previousSeed, long round, byte[] proposerPublicKey,
      byte[] seedProof) {
    return Ecvrf.verify(proposerPublicKey, alpha(previousSeed, new SortitionRole.Seed(round)),
            seedProof)
        .map(output -> Arrays.copyOf(output, SEED_BYTES));
  }

  /** seed_r after an empty block (no proposer output): SHA-256(seed_{r-1} || r as 8 bytes BE). */
  public static byte[] emptyBlockSeed(byte[] previousSeed, long round) {
    requireSeed(previousSeed);
    MessageDigest sha256 = sha256();
    sha256.update(previousSeed);
    return sha256.digest(ByteBuffer.allocate(8).putLong(round).array());
  }

  private static void requireSeed(byte[] seed) {
    if (Objects.requireNonNull(seed, "seed").length != SEED_BYTES) {
      throw new IllegalArgumentException("a seed has " + SEED_BYTES + " bytes, got " + seed.length);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
