package org.powerverse.chain.internal;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.InvalidBlockException;
import org.powerverse.chain.internal.consensus.Agreement;
import org.powerverse.chain.internal.consensus.Application;
import org.powerverse.chain.internal.consensus.ConsensusMessage;
import org.powerverse.chain.internal.consensus.Output;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.consensus.ValidatorSet;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;


/**
 * The I/O shell around the consensus core for one validator: real time in milliseconds as the
 * core's ticks, ledger blocks as its values, the node's store as where commits go, and a
 * {@code network} that carries its broadcasts to the other validators (in-process until the P2P
 * layer exists). Calls are serialized by this object's lock.
 *
 * <p>Proposer priority here is SHA-256(height || round || validator index), lowest wins: every
 * validator proposes and the order rotates pseudo-randomly. It is not the VRF sortition (which
 * needs the staked validator set and VRF keys wired in) and is predictable, so it is fit for
 * devnets only.
 */
public final class ValidatorShell {

  private final int self;
  private final ChainNode node;
  private final Address coinbase;
  private final Consumer<ConsensusMessage<Block>> network;
  private final LongSupplier millis;
  private final Map<Bytes32, Ledger.Executed> executed = new HashMap<>();
  private final Agreement<Block> agreement;

  public ValidatorShell(int self, ValidatorSet validators, ChainNode node, Address coinbase, Timeouts timeouts,
      Consumer<ConsensusMessage<Block>> network, LongSupplier millis) {
    this.self = self;
    this.node = Objects.requireNonNull(node, "node");
    this.coinbase = Objects.requireNonNull(coinbase, "coinbase");
    this.network = Objects.requireNonNull(network, "network");
    this.millis = Objects.requireNonNull(millis, "millis");
    this.agreement = new Agreement<>(self, validators, new LedgerApplication(), timeouts, node.head().header().height() + 1);
  }

  public synchronized void start() {
    handle(agreement.start(millis.getAsLong()));
  }

  public synchronized void tick() {
    handle(agreement.onTick(millis.getAsLong()));
  }

  public synchronized void receive(ConsensusMessage<Block> message) {
    handle(agreement.onMessage(message));
  }

  public synchronized long height() {
    return agreement.height();
  }

  public synchronized int round() {
    return agreement.round();
  }

  private void handle(List<Output<Block>> outputs) {
    for (Output<Block> output : outputs) {
      switch (output) {
        case Output.Broadcast<Block> b -> network.accept(b.message());
        case Output.Send<Block> s -> network.accept(s.message());
        case Output.Commit<Block> c -> commit(c.block(), c.certificate());
      }
    }
  }

  /** The core may start the next height before its Commit output is handled: catch up first. */
  private void catchUp(long height) {
    while (node.head().header().height() < height - 1) {
      long next = node.head().header().height() + 1;
      ConsensusMessage.Decision<Block> decision = agreement.decision(next)
          .orElseThrow(() -> new IllegalStateException("no decision for height " + next));
      commit(decision.block(), decision.certificate());
    }
  }

  private void commit(Block block, List<ConsensusMessage.Vote<Block>> certificate) {
    if (block.header().height() <= node.head().header().height()) {
      return; // already appended by catchUp
    }
    Ledger.Executed result = executed.get(block.hash());
    if (result == null) {
      result = node.verifyOnHead(block);
    }
    Block certified = new Block(block.header().withCertificate(encode(certificate)), block.transactions());
    node.append(new Ledger.Executed(certified, result.receipts(), result.state(), List.of()));
    executed.clear();
  }

  /** rlp([[type, height, round, value (empty for nil), validator]...]); unsigned until P2P signs votes. */
  static byte[] encode(List<ConsensusMessage.Vote<Block>> votes) {
    return Rlp.encodeList(votes.stream().map(v -> Rlp.encodeList(Rlp.encodeInteger(v.type().ordinal()),
        Rlp.encodeInteger(v.height()), Rlp.encodeInteger(v.round()),
        Rlp.encodeBytes(v.value().map(Bytes32::bytes).orElse(new byte[0])), Rlp.encodeInteger(v.sender()))).toList());
  }

  private final class LedgerApplication implements Application<Block> {

    @Override
    public Bytes32 id(Block block) {
      return block.hash();
    }

    @Override
    public boolean isValid(Block block, long height) {
      catchUp(height);
      if (height != node.head().header().height() + 1 || block.header().height() != height) {
        return false;
      }
      if (executed.containsKey(block.hash())) {
        return true;
      }
      try {
        executed.put(block.hash(), node.verifyOnHead(block));
        return true;
      } catch (InvalidBlockException | IllegalArgumentException e) {
        return false;
      }
    }

    @Override
    public Block emptyBlock(long height) {
      catchUp(height);
      Ledger.Executed empty = node.emptyOnHead();
      executed.put(empty.block().hash(), empty);
      return empty.block();
    }

    @Override
    public Optional<Bytes32> proposerPriority(long height, int round) {
      try {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        return Optional.of(new Bytes32(sha256.digest(ByteBuffer.allocate(16).putLong(height).putInt(round).putInt(self).array())));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public Block buildBlock(long height, int round) {
      catchUp(height);
      Ledger.Executed built = node.buildOnHead(coinbase, round);
      executed.put(built.block().hash(), built);
      return built.block();
    }
  }
}
