package org.powerverse.chain;

/**
 * Applies one transaction to the state. An invalid transaction (wrong nonce, too little balance,
 * wrong chain, too little gas) throws {@link InvalidTransactionException} and leaves the state
 * unchanged: it cannot be in a block. A valid one that fails (Ethereum's status 0) pays its fee
 * and returns a failed receipt. The EVM will be another implementation of this interface.
 */
public interface StateTransition {

  Receipt apply(WorldState state, BlockContext block, SignedTransaction transaction, Address sender,
      long gasUsedBefore);
}
