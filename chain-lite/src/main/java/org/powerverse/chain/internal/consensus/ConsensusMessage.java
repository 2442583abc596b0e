package org.powerverse.chain.internal.consensus;

import java.util.List;
import java.util.Optional;
import org.powerverse.chain.Bytes32;

/**
 * What validators send each other. The network shell authenticates the sender (signatures) and
 * the proposer's election (VerifySort of its ticket) before a message reaches the core.
 */
public sealed interface ConsensusMessage<B> {

  long height();

  int sender();

  /**
   * A proposed block for (height, round). validRound ≥ 0 re-proposes a block that had a quorum
   * of prevotes in that round; priority is the proposer's sortition priority (lowest wins).
   */
  record Proposal<B>(long height, int round, B block, Bytes32 blockId, int validRound,
      Bytes32 priority, int sender) implements ConsensusMessage<B> {}

  /** A prevote (stage 1) or precommit (stage 2) for a block id, or for nothing (empty value). */
  record Vote<B>(VoteType type, long height, int round, Optional<Bytes32> value, int sender)
      implements ConsensusMessage<B> {}

  /** A decided block with its certificate: a quorum of precommits of one round for its id. */
  record Decision<B>(long height, B block, Bytes32 blockId, List<Vote<B>> certificate, int sender)
      implements ConsensusMessage<B> {}

  enum VoteType { PREVOTE, PRECOMMIT }
}
