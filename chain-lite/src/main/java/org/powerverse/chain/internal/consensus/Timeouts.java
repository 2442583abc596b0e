package org.powerverse.chain.internal.consensus;

/**
 * Timeouts in logical ticks, growing with the round so that after the network stabilises some
 * round is long enough for every honest message to arrive (Tendermint's liveness argument).
 */
public record Timeouts(long propose, long prevote, long precommit, long perRound, long rebroadcast) {

  public Timeouts {
    if (propose < 1 || prevote < 1 || precommit < 1 || perRound < 0 || rebroadcast < 1) {
      throw new IllegalArgumentException("timeouts must be positive: " + this);
    }
  }

  long propose(int round) {
    return propose + perRound * round;
  }

  long prevote(int round) {
    return prevote + perRound * round;
  }

  long precommit(int round) {
    return precommit + perRound * round;
  }
}
