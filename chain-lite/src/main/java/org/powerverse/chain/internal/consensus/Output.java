package org.powerverse.chain.internal.consensus;

import java.util.List;
import org.powerverse.chain.Bytes32;

/** What the core asks its shell to do. */
public sealed interface Output<B> {

  record Broadcast<B>(ConsensusMessage<B> message) implements Output<B> {}

  record Send<B>(int to, ConsensusMessage<B> message) implements Output<B> {}

  /** The block is final at this height: the certificate proves it to anyone. */
  record Commit<B>(long height, B block, Bytes32 blockId, List<ConsensusMessage.Vote<B>> certificate)
      implements Output<B> {}
}
