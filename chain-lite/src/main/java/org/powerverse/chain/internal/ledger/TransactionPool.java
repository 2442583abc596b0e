package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.Transaction;

/**
 * Pending transactions, per sender in nonce order (as geth's txpool): a transaction with the nonce
 * of a pooled one replaces it only if both its tip and its fee cap are at least
 * {@link #PRICE_BUMP_PERCENT} % higher; a sender may have {@link Limits#perSender} pending and run at
 * most {@link Limits#maxNonceGap} ahead of its account nonce. Not thread-safe: the node's event
 * loop owns it.
 */
public final class TransactionPool {

  public static final int PRICE_BUMP_PERCENT = 10;

  public enum Rejection {
    ALREADY_KNOWN, WRONG_CHAIN, NONCE_TOO_LOW, NONCE_GAP_TOO_LARGE, REPLACEMENT_UNDERPRICED, SENDER_LIMIT,
    POOL_FULL, FEE_CAP_TOO_LOW, INTRINSIC_GAS_TOO_LOW, GAS_LIMIT_ABOVE_BLOCK, INSUFFICIENT_FUNDS, CONTRACT_CREATION
  }

  /** Accepted (possibly replacing {@code replaced}) or rejected with a reason and a message. */
  public record Outcome(Optional<Rejection> rejection, String message, Optional<Bytes32> replaced) {
    static Outcome accepted(Optional<Bytes32> replaced) {
      return new Outcome(Optional.empty(), "", replaced);
    }

    static Outcome rejected(Rejection reason, String message) {
      return new Outcome(Optional.of(reason), message, Optional.empty());
    }

    public boolean isAccepted() {
      return rejection.isEmpty();
    }
  }

  public record Limits(int perSender, int total, long maxNonceGap, BigInteger minimumFeeCap) {
    public static final Limits DEFAULT = new Limits(64, 20_000, 64, BigInteger.ONE);
  }

  private final long chainId;
  private final long blockGasLimit;
  private final Limits limits;
  private final Map<Address, TreeMap<Long, RecoveredTransaction>> bySender = new HashMap<>();
  private final Map<Bytes32, RecoveredTransaction> byHash = new HashMap<>();

  public TransactionPool(long chainId, long blockGasLimit, Limits limits) {
    this.chainId = chainId;
    this.blockGasLimit = blockGasLimit;
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  public int size() {
    return byHash.size();
  }

  public Optional<RecoveredTransaction> get(Bytes32 hash) {
    return Optional.ofNullable(byHash.get(hash));
  }

  /** The next nonce after the sender's pooled run from {@code accountNonce} (eth_getTransactionCount "pending"). */
  public long pendingNonce(Address sender, long accountNonce) {
    TreeMap<Long, RecoveredTransaction> queue = bySender.get(sender);
    long next = accountNonce;
    while (queue != null && queue.containsKey(next)) {
      next++;
    }
    return next;
  }

  /**
   * Admits a transaction given its sender's account nonce and spendable balance now.
   */
  public Outcome add(RecoveredTransaction candidate, long accountNonce, BigInteger spendable) {
    Transaction tx = candidate.transaction().transaction();
    Bytes32 hash = candidate.transaction().hash();
    if (byHash.containsKey(hash)) {
      return Outcome.rejected(Rejection.ALREADY_KNOWN, "already known: " + hash);
    }
    if (tx.chainId() != chainId) {
      return Outcome.rejected(Rejection.WRONG_CHAIN, "chain id " + tx.chainId() + " is not this chain's " + chainId);
    }
    if (tx.to().isEmpty()) {
      return Outcome.rejected(Rejection.CONTRACT_CREATION, "contract creation needs the EVM, which this chain does not run yet");
    }
    if (tx.nonce() < accountNonce) {
      return Outcome.rejected(Rejection.NONCE_TOO_LOW, "nonce too low: " + tx.nonce() + " < " + accountNonce);
    }
    if (tx.nonce() - accountNonce >= limits.maxNonceGap()) {
      return Outcome.rejected(Rejection.NONCE_GAP_TOO_LARGE,
          "nonce " + tx.nonce() + " is " + limits.maxNonceGap() + " or more ahead of the account's " + accountNonce);
    }
    long needed = TransferTransition.gasUsed(tx);
    if (tx.gasLimit() < needed) {
      return Outcome.rejected(Rejection.INTRINSIC_GAS_TOO_LOW, "intrinsic gas too low: gas " + tx.gasLimit() + ", need " + needed);
    }
    if (tx.gasLimit() > blockGasLimit) {
      return Outcome.rejected(Rejection.GAS_LIMIT_ABOVE_BLOCK, "gas limit " + tx.gasLimit() + " above the block gas limit " + blockGasLimit);
    }
    if (tx.maxFeePerGas().compareTo(limits.minimumFeeCap()) < 0) {
      return Outcome.rejected(Rejection.FEE_CAP_TOO_LOW,
          "max fee per gas " + tx.maxFeePerGas() + " below the pool's minimum " + limits.minimumFeeCap());
    }
    BigInteger cost = tx.maxFeePerGas().multiply(BigInteger.valueOf(tx.gasLimit())).add(tx.value());
    if (cost.compareTo(spendable) > 0) {
      return Outcome.rejected(Rejection.INSUFFICIENT_FUNDS,
          "insufficient funds for gas × price + value: balance " + spendable + ", cost " + cost);
    }
    TreeMap<Long, RecoveredTransaction> queue = bySender.computeIfAbsent(candidate.sender(), s -> new TreeMap<>());
    RecoveredTransaction existing = queue.get(tx.nonce());
    if (existing != null) {
      Transaction old = existing.transaction().transaction();
      if (!bumped(tipCap(old), tipCap(tx)) || !bumped(old.maxFeePerGas(), tx.maxFeePerGas())) {
        return Outcome.rejected(Rejection.REPLACEMENT_UNDERPRICED, "replacement transaction underpriced: tip and fee cap must"
            + " both rise by " + PRICE_BUMP_PERCENT + " % over " + tipCap(old) + " and " + old.maxFeePerGas());
      }
      queue.put(tx.nonce(), candidate);
      byHash.remove(existing.transaction().hash());
      byHash.put(hash, candidate);
      return Outcome.accepted(Optional.of(existing.transaction().hash()));
    }
    if (queue.size() >= limits.perSender()) {
      return Outcome.rejected(Rejection.SENDER_LIMIT, "sender " + candidate.sender() + " has " + queue.size() + " pending, the limit");
    }
    if (byHash.size() >= limits.total()) {
      return Outcome.rejected(Rejection.POOL_FULL, "transaction pool full (" + limits.total() + ")");
    }
    queue.put(tx.nonce(), candidate);
    byHash.put(hash, candidate);
    return Outcome.accepted(Optional.empty());
  }

  /**
   * Executable transactions for a block: each sender's run from its account nonce, senders
   * interleaved by the tip they pay at {@code baseFee} (highest first), stopping a sender at the
   * first transaction whose fee cap is below the base fee.
   */
  public List<RecoveredTransaction> select(ToLongFunction<Address> accountNonce, BigInteger baseFee, long gasLimit, int max) {
    record Head(Address sender, long nonce, BigInteger tip, RecoveredTransaction tx) {}
    PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> b.tip().compareTo(a.tip()));
    for (Map.Entry<Address, TreeMap<Long, RecoveredTransaction>> e : bySender.entrySet()) {
      long nonce = accountNonce.applyAsLong(e.getKey());
      RecoveredTransaction tx = e.getValue().get(nonce);
      if (tx != null && payable(tx, baseFee)) {
        heads.add(new Head(e.getKey(), nonce, tip(tx, baseFee), tx));
      }
    }
    List<RecoveredTransaction> out = new ArrayList<>();
    long gas = 0;
    while (!heads.isEmpty() && out.size() < max) {
      Head head = heads.poll();
      long needed = TransferTransition.gasUsed(head.tx().transaction().transaction());
      if (gas + needed > gasLimit) {
        continue;
      }
      gas += needed;
      out.add(head.tx());
      RecoveredTransaction next = bySender.get(head.sender()).get(head.nonce() + 1);
      if (next != null && payable(next, baseFee)) {
        heads.add(new Head(head.sender(), head.nonce() + 1, tip(next, baseFee), next));
      }
    }
    return out;
  }

  /** Drops every transaction of {@code sender} below its new account nonce (after a block). */
  public void prune(Address sender, long accountNonce) {
    TreeMap<Long, RecoveredTransaction> queue = bySender.get(sender);
    if (queue == null) {
      return;
    }
    var stale = queue.headMap(accountNonce, false);
    stale.values().forEach(tx -> byHash.remove(tx.transaction().hash()));
    stale.clear();
    if (queue.isEmpty()) {
      bySender.remove(sender);
    }
  }

  /** Removes one transaction (and so stops its sender's run there). */
  public void remove(Bytes32 hash) {
    RecoveredTransaction tx = byHash.remove(hash);
    if (tx != null) {
      TreeMap<Long, RecoveredTransaction> queue = bySender.get(tx.sender());
      queue.remove(tx.transaction().transaction().nonce());
      if (queue.isEmpty()) {
        bySender.remove(tx.sender());
      }
    }
  }

  public List<Address> senders() {
    return List.copyOf(bySender.keySet());
  }

  private static boolean payable(RecoveredTransaction tx, BigInteger baseFee) {
    return tx.transaction().transaction().maxFeePerGas().compareTo(baseFee) >= 0;
  }

  private static BigInteger tip(RecoveredTransaction tx, BigInteger baseFee) {
    return tx.transaction().transaction().effectiveGasPrice(baseFee).subtract(baseFee);
  }

  private static BigInteger tipCap(Transaction tx) {
    return tx instanceof org.powerverse.chain.DynamicFeeTransaction d ? d.maxPriorityFeePerGas() : tx.maxFeePerGas();
  }

  private static boolean bumped(BigInteger old, BigInteger replacement) {
    // replacement ≥ old × (100 + bump) / 100, in integers.
    return replacement.multiply(BigInteger.valueOf(100))
        .compareTo(old.multiply(BigInteger.valueOf(100 + PRICE_BUMP_PERCENT))) >= 0;
  }
}
