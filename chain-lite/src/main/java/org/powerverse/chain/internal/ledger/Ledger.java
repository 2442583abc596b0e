package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.powerverse.chain.Address;
import org.powerverse.chain.Allocation;
import org.powerverse.chain.Block;
import org.powerverse.chain.BlockContext;
import org.powerverse.chain.BlockHeader;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.InvalidBlockException;
import org.powerverse.chain.InvalidTransactionException;
import org.powerverse.chain.Receipt;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.StakedValidator;
import org.powerverse.chain.StateTransition;
import org.powerverse.chain.WorldState;
import org.powerverse.chain.internal.Rlp;

/**
 * Builds and checks blocks: transactions through the {@link StateTransition}, then the block
 * reward (3 % to the foundation, the rest to the proposer), then the three roots. Pure: state in,
 * state out; storage and consensus are elsewhere.
 */
public final class Ledger {

  public static final Address NO_PROPOSER = new Address(new byte[20]);
  public static final Bytes32 NO_PARENT = new Bytes32(new byte[32]);

  public record Executed(Block block, List<Receipt> receipts, WorldState state, List<Rejected> rejected) {}

  public record Rejected(RecoveredTransaction transaction, String reason) {}

  private final Genesis genesis;
  private final Economics economics;
  private final StateTransition transition;

  public Ledger(Genesis genesis, StateTransition transition) {
    this.genesis = Objects.requireNonNull(genesis, "genesis");
    this.economics = genesis.economics();
    this.transition = Objects.requireNonNull(transition, "transition");
  }

  public Ledger(Genesis genesis) {
    this(genesis, new TransferTransition(genesis));
  }

  public Genesis genesis() {
    return genesis;
  }

  public WorldState genesisState() {
    MemoryWorldState state = new MemoryWorldState();
    for (Allocation allocation : genesis.allocations()) {
      state.putAccount(allocation.address(), state.account(allocation.address()).credit(allocation.amount()));
    }
    for (StakedValidator validator : genesis.validators()) {
      Staking.stakeAtGenesis(state, validator);
    }
    return state;
  }

  public Block genesisBlock() {
    WorldState state = genesisState();
    BlockHeader header = new BlockHeader(NO_PARENT, 0, 0, genesis.timestamp(), NO_PROPOSER, txRoot(List.of()),
        state.root(), receiptsRoot(List.of()), genesis.gasLimit(), 0, genesis.initialBaseFee(), new byte[0],
        new byte[0]);
    return new Block(header, List.of());
  }

  /** The base fee of the child of {@code parent} (EIP-1559; the genesis block sets the first). */
  public BigInteger baseFeeAfter(BlockHeader parent) {
    return FeeMarket.nextBaseFee(parent.gasLimit(), parent.gasUsed(), parent.baseFeePerGas());
  }

  /**
   * Builds a block on {@code parent} from the candidates in order, leaving out those that are
   * invalid against the state at their turn (each with its reason).
   */
  public Executed build(BlockHeader parent, WorldState parentState, Address proposer, long round, long timestamp,
      byte[] vrfProof, List<RecoveredTransaction> candidates) {
    WorldState state = parentState.copy();
    BlockContext context = context(parent, proposer, timestamp);
    List<SignedTransaction> included = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    List<Rejected> rejected = new ArrayList<>();
    long gasUsed = 0;
    for (RecoveredTransaction candidate : candidates) {
      if (gasUsed + TransferTransition.TX_GAS > context.gasLimit()) {
        rejected.add(new Rejected(candidate, "block full"));
        continue;
      }
      try {
        Receipt receipt = transition.apply(state, context, candidate.transaction(), candidate.sender(), gasUsed);
        gasUsed = receipt.cumulativeGasUsed();
        included.add(candidate.transaction());
        receipts.add(receipt);
      } catch (InvalidTransactionException e) {
        rejected.add(new Rejected(candidate, e.getMessage()));
      }
    }
    mintReward(state, context);
    BlockHeader header = new BlockHeader(parent.hash(), context.height(), round, timestamp, proposer,
        txRoot(included), state.root(), receiptsRoot(receipts), context.gasLimit(), gasUsed,
        context.baseFeePerGas(), vrfProof, new byte[0]);
    return new Executed(new Block(header, included), receipts, state, rejected);
  }

  /** Re-executes {@code block} on its parent and checks every field that follows from it. */
  public Executed verify(BlockHeader parent, WorldState parentState, Block block, SenderRecovery recovery) {
    BlockHeader header = block.header();
    check(header.parentHash().equals(parent.hash()), "parent hash " + header.parentHash() + " is not " + parent.hash());
    check(header.height() == parent.height() + 1, "height " + header.height() + " does not follow " + parent.height());
    check(header.timestamp() >= parent.timestamp(), "timestamp " + header.timestamp() + " before the parent's " + parent.timestamp());
    List<RecoveredTransaction> recovered = new ArrayList<>();
    for (SignedTransaction tx : block.transactions()) {
      recovered.add(RecoveredTransaction.recover(tx, recovery)
          .orElseThrow(() -> new InvalidBlockException("transaction " + tx.hash() + " has no recoverable sender")));
    }
    Executed executed = build(parent, parentState, header.proposer(), header.round(), header.timestamp(),
        header.vrfProof(), recovered);
    if (!executed.rejected().isEmpty()) {
      Rejected first = executed.rejected().getFirst();
      throw new InvalidBlockException("transaction " + first.transaction().transaction().hash() + " is invalid: " + first.reason());
    }
    BlockHeader expected = executed.block().header();
    check(expected.stateRoot().equals(header.stateRoot()), "state root " + header.stateRoot() + ", expected " + expected.stateRoot());
    check(expected.txRoot().equals(header.txRoot()), "tx root " + header.txRoot() + ", expected " + expected.txRoot());
    check(expected.receiptsRoot().equals(header.receiptsRoot()), "receipts root " + header.receiptsRoot() + ", expected " + expected.receiptsRoot());
    check(expected.gasUsed() == header.gasUsed(), "gas used " + header.gasUsed() + ", expected " + expected.gasUsed());
    check(expected.gasLimit() == header.gasLimit(), "gas limit " + header.gasLimit() + ", expected " + expected.gasLimit());
    check(expected.baseFeePerGas().equals(header.baseFeePerGas()), "base fee " + header.baseFeePerGas() + ", expected " + expected.baseFeePerGas());
    return new Executed(block, executed.receipts(), executed.state(), List.of());
  }

  private BlockContext context(BlockHeader parent, Address proposer, long timestamp) {
    return new BlockContext(genesis.chainId(), parent.height() + 1, timestamp, proposer, baseFeeAfter(parent),
        genesis.gasLimit());
  }

  private void mintReward(WorldState state, BlockContext context) {
    if (context.proposer().equals(NO_PROPOSER)) {
      return; // the empty block of a height that found no proposal mints nothing
    }
    BigInteger reward = economics.blockReward(context.height());
    BigInteger foundation = Economics.foundationShare(reward);
    if (foundation.signum() > 0) {
      state.putAccount(genesis.foundation(), state.account(genesis.foundation()).credit(foundation));
    }
    BigInteger toProposer = reward.subtract(foundation);
    if (toProposer.signum() > 0) {
      state.putAccount(context.proposer(), state.account(context.proposer()).credit(toProposer));
    }
  }

  public static Bytes32 txRoot(List<SignedTransaction> transactions) {
    return new Bytes32(Merkle.KECCAK.root(transactions.stream().map(SignedTransaction::encoded).toList()));
  }

  /** Leaves rlp([type, status, cumulativeGasUsed, gasUsed, effectiveGasPrice, txHash]). */
  public static Bytes32 receiptsRoot(List<Receipt> receipts) {
    return new Bytes32(Merkle.KECCAK.root(receipts.stream().map(r -> Rlp.encodeList(
        Rlp.encodeInteger(r.transactionType()), Rlp.encodeInteger(r.success() ? 1 : 0),
        Rlp.encodeInteger(r.cumulativeGasUsed()), Rlp.encodeInteger(r.gasUsed()),
        Rlp.encodeInteger(r.effectiveGasPrice()), Rlp.encodeBytes(r.transactionHash().bytes()))).toList()));
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new InvalidBlockException(message);
    }
  }
}
