package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Optional;

/**
 * An unsigned Ethereum transaction. The whitepaper's fields map onto it: From is the sender
 * recovered from the signature ({@link SignedTransaction#sender}), To is {@link #to} (empty
 * creates a contract), Nonce is {@link #nonce}, Value is {@link #value} (wei), Gas is {@link
 * #gasLimit}, and GasPrice is {@link #effectiveGasPrice} (the legacy gas price, or EIP-1559's
 * min(maxFeePerGas, baseFee + maxPriorityFeePerGas)).
 */
public sealed interface Transaction permits LegacyTransaction, DynamicFeeTransaction {

  /** The EIP-2718 type: 0 for legacy, 2 for EIP-1559. */
  int type();

  long chainId();

  long nonce();

  long gasLimit();

  Optional<Address> to();

  BigInteger value();

  byte[] data();

  /** The most the sender pays per gas: the legacy gas price, or maxFeePerGas. */
  BigInteger maxFeePerGas();

  /** The price per gas paid in a block with this base fee (whitepaper GasPrice). */
  BigInteger effectiveGasPrice(BigInteger baseFeePerGas);

  /** Keccak-256 of the signing payload (EIP-155 for legacy, 0x02 || rlp(...) for EIP-1559). */
  Bytes32 signingHash();
}
