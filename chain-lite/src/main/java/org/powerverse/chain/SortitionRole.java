package org.powerverse.chain;

import java.nio.ByteBuffer;

/**
 * What a sortition draws for (whitepaper: {@code role}), bound into the VRF input
 * {@code seed || role}. Every role names its round, so a proof never serves another round even if
 * two rounds' seeds were equal.
 *
 * <p>Byte encoding, 13 bytes: {@code tag (1) || round (8, big-endian) || step (4, big-endian)},
 * tag 0x00 seed, 0x01 proposer, 0x02 committee; step is 0 for seed, the agreement attempt (the
 * consensus round within the height, 0 first) for proposer.
 */
public sealed interface SortitionRole {

  int ENCODED_BYTES = 13;

  long round();

  /** The role's bytes as they follow the seed in the VRF input. */
  byte[] encode();

  /**
   * The round's block proposer draws its next seed with this role: seed_r is the VRF output of
   * {@code seed_{r-1} || Seed(r)} (Algorand's seed chaining).
   */
  record Seed(long round) implements SortitionRole {
    public Seed {
      requireRound(round);
    }

    @Override
    public byte[] encode() {
      return SortitionRole.encode((byte) 0x00, round, 0);
    }
  }

  /**
   * Block proposers of a round (their priority is the lowest sub-user hash). {@code attempt} is
   * the agreement's round within the height (Tendermint's round; 0 first): when an attempt ends
   * without a decision, the next one draws new proposers, so an absent winner cannot stall the
   * height. Attempt 0 encodes as the plain proposer role (step 0).
   */
  record Proposer(long round, int attempt) implements SortitionRole {
    public Proposer {
      requireRound(round);
      if (attempt < 0) {
        throw new IllegalArgumentException("a proposer attempt is not negative, got " + attempt);
      }
    }

    public Proposer(long round) {
      this(round, 0);
    }

    @Override
    public byte[] encode() {
      return SortitionRole.encode((byte) 0x01, round, attempt);
    }
  }

  /**
   * The committee of one agreement step of a round: step 1 is the whitepaper's first stage (vote
   * for the highest-priority proposal), steps 2 and up its second stage (re-votes until more than
   * 2/3 of the committee's weight agrees).
   */
  record Committee(long round, int step) implements SortitionRole {
    public Committee {
      requireRound(round);
      if (step < 1) {
        throw new IllegalArgumentException("a committee step is at least 1, got " + step);
      }
    }

    @Override
    public byte[] encode() {
      return SortitionRole.encode((byte) 0x02, round, step);
    }
  }

  private static void requireRound(long round) {
    if (round < 0) {
      throw new IllegalArgumentException("a round is not negative, got " + round);
    }
  }

  private static byte[] encode(byte tag, long round, int step) {
    return ByteBuffer.allocate(ENCODED_BYTES).put(tag).putLong(round).putInt(step).array();
  }
}
