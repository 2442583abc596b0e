package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.BlockHeader;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.InvalidTransactionException;
import org.powerverse.chain.Receipt;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.Transactions;

/**
 * One node's ledger: the store, the state after the head block, and the transaction pool, with
 * the operations the RPC and the block producer need. Methods are synchronized: RPC calls run on
 * worker threads, blocks are appended by the producer.
 */
public final class ChainNode implements AutoCloseable {

  /** The tip suggested to wallets (eth_maxPriorityFeePerGas). */
  public static final BigInteger SUGGESTED_TIP = BigInteger.TEN.pow(9);

  /** A transaction with its block position, if included. */
  public record Found(RecoveredTransaction transaction, Optional<Block> block, int index) {}

  private final Ledger ledger;
  private final ChainStore store;
  private final TransactionPool pool;
  private final SenderRecovery recovery;
  private final Clock clock;
  private Block head;
  private MemoryWorldState state;

  public ChainNode(Ledger ledger, Path dataDir, SenderRecovery recovery, Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    // Pool admission and proposal verification recover the same senders: do it once.
    this.recovery = new CachingSenderRecovery(Objects.requireNonNull(recovery, "recovery"), 200_000);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.store = ChainStore.open(dataDir, 1L << 34, ledger.genesisBlock(), ledger.genesisState());
    this.head = store.block(store.head()).orElseThrow();
    this.state = store.loadState();
    this.pool = new TransactionPool(ledger.genesis().chainId(), ledger.genesis().gasLimit(), TransactionPool.Limits.DEFAULT);
  }

  public Ledger ledger() {
    return ledger;
  }

  public synchronized Block head() {
    return head;
  }

  public synchronized MemoryWorldState state() {
    return state;
  }

  public synchronized BigInteger nextBaseFee() {
    return ledger.baseFeeAfter(head.header());
  }

  private volatile java.util.function.Consumer<byte[]> onSubmitted = raw -> {};

  /** Who hears of each transaction a client submitted and the pool accepted (the validator network gossips it). */
  public void onSubmitted(java.util.function.Consumer<byte[]> listener) {
    this.onSubmitted = Objects.requireNonNull(listener, "listener");
  }

  /** A client's transaction ({@link #admit}, then told to {@link #onSubmitted}'s listener). */
  public Bytes32 submit(byte[] raw) {
    Bytes32 hash = admit(raw);
    onSubmitted.accept(raw);
    return hash;
  }

  /** Decodes, recovers and pools a raw transaction; returns its hash or throws with the reason. */
  public synchronized Bytes32 admit(byte[] raw) {
    SignedTransaction tx = Transactions.decode(raw);
    RecoveredTransaction recovered = RecoveredTransaction.recover(tx, recovery)
        .orElseThrow(() -> new InvalidTransactionException("invalid sender: the signature recovers no public key"));
    TransferTransition transition = new TransferTransition(ledger.genesis());
    BigInteger spendable = transition.spendable(state, recovered.sender(), clock.instant().getEpochSecond());
    TransactionPool.Outcome outcome = pool.add(recovered, state.account(recovered.sender()).nonce(), spendable);
    if (!outcome.isAccepted()) {
      throw new InvalidTransactionException(outcome.message());
    }
    return tx.hash();
  }

  public synchronized int pendingCount() {
    return pool.size();
  }

  public synchronized long pendingNonce(Address address) {
    return pool.pendingNonce(address, state.account(address).nonce());
  }

  /** Builds a block from the pool on the head and appends it (a single validator; consensus wraps this). */
  public synchronized Ledger.Executed produce(Address proposer) {
    long timestamp = Math.max(clock.instant().getEpochSecond(), head.header().timestamp());
    List<RecoveredTransaction> candidates = pool.select(a -> state.account(a).nonce(), ledger.baseFeeAfter(head.header()),
        ledger.genesis().gasLimit(), 10_000);
    Ledger.Executed executed = ledger.build(head.header(), state, proposer, 0, timestamp, new byte[0], candidates);
    append(executed);
    return executed;
  }

  /** A block from the pool on the head, not appended (a proposal) and without a seed proof. */
  public Ledger.Executed buildOnHead(Address proposer, long round) {
    return buildOnHead(proposer, round, new byte[0]);
  }

  /** A block from the pool on the head carrying the proposer's seed proof, not appended (a proposal). */
  public synchronized Ledger.Executed buildOnHead(Address proposer, long round, byte[] vrfProof) {
    long timestamp = Math.max(clock.instant().getEpochSecond(), head.header().timestamp());
    List<RecoveredTransaction> candidates = pool.select(a -> state.account(a).nonce(), ledger.baseFeeAfter(head.header()),
        ledger.genesis().gasLimit(), 10_000);
    return ledger.build(head.header(), state, proposer, round, timestamp, vrfProof, candidates);
  }

  /** The head's empty child: no transactions, no proposer, no reward, the parent's timestamp (the same everywhere). */
  public synchronized Ledger.Executed emptyOnHead() {
    return ledger.build(head.header(), state, Ledger.NO_PROPOSER, 0, head.header().timestamp(), new byte[0], List.of());
  }

  /** Re-executes a proposed child of the head; throws InvalidBlockException when it is not one. */
  public synchronized Ledger.Executed verifyOnHead(Block block) {
    return ledger.verify(head.header(), state, block, recovery);
  }

  /** Appends a block already executed against the head (built here or verified from a peer). */
  public synchronized void append(Ledger.Executed executed) {
    if (!executed.block().header().parentHash().equals(head.hash())) {
      throw new IllegalArgumentException("block " + executed.block().hash() + " is not a child of the head " + head.hash());
    }
    store.commit(executed.block(), executed.receipts(), executed.state());
    head = executed.block();
    state = (MemoryWorldState) executed.state();
    for (Ledger.Rejected rejected : executed.rejected()) {
      // Invalid against the state it was picked for (funds gone, base fee risen above its cap):
      // dropped, as waiting rarely makes it valid and it would be picked again every block.
      pool.remove(rejected.transaction().transaction().hash());
    }
    for (Address sender : pool.senders()) {
      pool.prune(sender, state.account(sender).nonce());
    }
  }

  public synchronized Optional<Block> block(long height) {
    return height == head.header().height() ? Optional.of(head) : store.block(height);
  }

  public synchronized Optional<Block> block(Bytes32 hash) {
    return store.height(hash).flatMap(store::block);
  }

  public synchronized Optional<Found> transaction(Bytes32 hash) {
    Optional<ChainStore.Location> location = store.locate(hash);
    if (location.isPresent()) {
      Block block = store.block(location.get().height()).orElseThrow();
      SignedTransaction tx = block.transactions().get(location.get().index());
      Receipt receipt = store.receipts(location.get().height()).get(location.get().index());
      return Optional.of(new Found(new RecoveredTransaction(tx, receipt.from()), Optional.of(block), location.get().index()));
    }
    return pool.get(hash).map(tx -> new Found(tx, Optional.empty(), -1));
  }

  public synchronized Optional<Receipt> receipt(Bytes32 hash) {
    return store.locate(hash).map(l -> store.receipts(l.height()).get(l.index()));
  }

  public synchronized List<Receipt> receipts(long height) {
    return store.receipts(height);
  }

  public synchronized BlockHeader header(long height) {
    return block(height).orElseThrow().header();
  }

  @Override
  public synchronized void close() {
    store.close();
  }
}
