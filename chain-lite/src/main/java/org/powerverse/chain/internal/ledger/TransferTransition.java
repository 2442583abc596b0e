package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.util.Objects;
import org.powerverse.chain.AccessListEntry;
import org.powerverse.chain.Account;
import org.powerverse.chain.Address;
import org.powerverse.chain.BlockContext;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.InvalidTransactionException;
import org.powerverse.chain.Receipt;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.StateTransition;
import org.powerverse.chain.Transaction;
import org.powerverse.chain.WorldState;

/**
 * Transfers and staking calls, the execution layer until the EVM arrives. Fees as in Ethereum
 * after EIP-1559: the sender pays gasUsed × effective price, the base-fee part is burned and the
 * tip goes to the block's proposer. Contract creation and calls to accounts with code are refused
 * as invalid (not as failed), so no block contains a transaction whose meaning will change when
 * the EVM arrives.
 */
public final class TransferTransition implements StateTransition {

  public static final long TX_GAS = 21_000;
  // EIP-2028 and EIP-2930.
  public static final long DATA_ZERO_GAS = 4;
  public static final long DATA_NONZERO_GAS = 16;
  public static final long ACCESS_LIST_ADDRESS_GAS = 2_400;
  public static final long ACCESS_LIST_KEY_GAS = 1_900;

  private final Genesis genesis;

  public TransferTransition(Genesis genesis) {
    this.genesis = Objects.requireNonNull(genesis, "genesis");
  }

  public static long intrinsicGas(Transaction tx) {
    long gas = TX_GAS;
    for (byte b : tx.data()) {
      gas += b == 0 ? DATA_ZERO_GAS : DATA_NONZERO_GAS;
    }
    if (tx instanceof DynamicFeeTransaction dynamic) {
      for (AccessListEntry entry : dynamic.accessList()) {
        gas += ACCESS_LIST_ADDRESS_GAS + ACCESS_LIST_KEY_GAS * entry.storageKeys().size();
      }
    }
    return gas;
  }

  /** The gas this transaction uses if it is valid: what eth_estimateGas answers. */
  public static long gasUsed(Transaction tx) {
    long gas = intrinsicGas(tx);
    return tx.to().filter(Staking.ADDRESS::equals).isPresent() ? gas + Staking.CALL_GAS : gas;
  }

  /** Balance that vesting does not lock at the block's time. */
  public BigInteger spendable(WorldState state, Address address, long timestamp) {
    return state.account(address).balance().subtract(genesis.lockedAt(address, timestamp)).max(BigInteger.ZERO);
  }

  @Override
  public Receipt apply(WorldState state, BlockContext block, SignedTransaction signed, Address sender,
      long gasUsedBefore) {
    Transaction tx = signed.transaction();
    if (tx.chainId() != block.chainId()) {
      throw new InvalidTransactionException("chain id " + tx.chainId() + " is not this chain's " + block.chainId());
    }
    Address to = tx.to().orElseThrow(() -> new InvalidTransactionException(
        "contract creation needs the EVM, which this chain does not run yet"));
    if (state.code(to).length > 0) {
      throw new InvalidTransactionException("calls to contract " + to + " need the EVM, which this chain does not run yet");
    }
    Account from = state.account(sender);
    if (tx.nonce() != from.nonce()) {
      throw new InvalidTransactionException("nonce " + tx.nonce() + (tx.nonce() < from.nonce() ? " too low" : " too high")
          + ": " + sender + " is at nonce " + from.nonce());
    }
    long gasUsed = gasUsed(tx);
    if (tx.gasLimit() < gasUsed) {
      throw new InvalidTransactionException("gas limit " + tx.gasLimit() + " below the " + gasUsed + " this transaction needs");
    }
    if (gasUsedBefore + tx.gasLimit() > block.gasLimit()) {
      throw new InvalidTransactionException("gas limit " + tx.gasLimit() + " exceeds what is left in the block ("
          + (block.gasLimit() - gasUsedBefore) + ")");
    }
    BigInteger baseFee = block.baseFeePerGas();
    if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
      throw new InvalidTransactionException("max fee per gas " + tx.maxFeePerGas() + " below the base fee " + baseFee);
    }
    BigInteger maxCost = tx.maxFeePerGas().multiply(BigInteger.valueOf(tx.gasLimit())).add(tx.value());
    BigInteger spendable = spendable(state, sender, block.timestamp());
    if (spendable.compareTo(maxCost) < 0) {
      throw new InvalidTransactionException("insufficient funds: " + sender + " can spend " + spendable
          + " wei, the transaction may cost " + maxCost);
    }

    BigInteger price = tx.effectiveGasPrice(baseFee);
    BigInteger gas = BigInteger.valueOf(gasUsed);
    state.putAccount(sender, from.debit(price.multiply(gas)).nextNonce());
    String failure = "";
    if (to.equals(Staking.ADDRESS)) {
      failure = Staking.call(state, sender, tx.value(), tx.data(), block.height(), genesis.unbondingBlocks(),
          genesis.minimumStake());
    }
    if (failure.isEmpty() && tx.value().signum() > 0) {
      state.putAccount(sender, state.account(sender).debit(tx.value()));
      state.putAccount(to, state.account(to).credit(tx.value()));
    }
    BigInteger tip = price.subtract(baseFee).multiply(gas);
    if (tip.signum() > 0) {
      state.putAccount(block.proposer(), state.account(block.proposer()).credit(tip));
    }
    return new Receipt(signed.hash(), tx.type(), sender, failure.isEmpty(), gasUsed, gasUsedBefore + gasUsed, price,
        failure);
  }
}
