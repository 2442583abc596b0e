package org.powerverse.chain;

import java.util.Objects;

/** A signed transaction with its sender, recovered once (docs/benchmarks/chain.md). */
public record RecoveredTransaction(SignedTransaction transaction, Address sender) {

  public RecoveredTransaction {
    Objects.requireNonNull(transaction, "transaction");
    Objects.requireNonNull(sender, "sender");
  }

  public static java.util.Optional<RecoveredTransaction> recover(SignedTransaction transaction, SenderRecovery recovery) {
    return transaction.sender(recovery).map(sender -> new RecoveredTransaction(transaction, sender));
  }
}
