package org.powerverse.chain.internal.consensus;

import java.util.Optional;
import org.powerverse.chain.Bytes32;

/** What the agreement core needs to know about blocks, from the ledger (or a simulator). */
public interface Application<B> {

  Bytes32 id(B block);

  /** Whether the block is a valid next block at this height (execution, signatures, parent). */
  boolean isValid(B block, long height);

  /** The empty block of a height: the same for every validator, valid by construction. */
  B emptyBlock(long height);

  /** This validator's proposer priority for (height, round), when sortition selected it. */
  Optional<Bytes32> proposerPriority(long height, int round);

  /** A new block to propose at this height. */
  B buildBlock(long height, int round);
}
