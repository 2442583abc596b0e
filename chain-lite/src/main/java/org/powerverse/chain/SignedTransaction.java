package org.powerverse.chain;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.internal.Keccak;
import org.powerverse.chain.internal.TransactionCodec;

/**
 * A transaction with its signature, as it travels (eth_sendRawTransaction) and sits in blocks.
 * Its encoding is canonical (decoding accepts nothing else), so {@link #hash} identifies it.
 */
public final class SignedTransaction {

  private final Transaction transaction;
  private final TransactionSignature signature;
  private final byte[] encoded;
  private final Bytes32 hash;

  public SignedTransaction(Transaction transaction, TransactionSignature signature) {
    this.transaction = Objects.requireNonNull(transaction, "transaction");
    this.signature = Objects.requireNonNull(signature, "signature");
    this.encoded = TransactionCodec.encodeSigned(transaction, signature);
    this.hash = new Bytes32(Keccak.keccak256(encoded));
  }

  public Transaction transaction() {
    return transaction;
  }

  public TransactionSignature signature() {
    return signature;
  }

  /** The network encoding: rlp(fields) for legacy, 0x02 || rlp(fields) for EIP-1559. */
  public byte[] encoded() {
    return encoded.clone();
  }

  /** The transaction hash: Keccak-256 of {@link #encoded}. */
  public Bytes32 hash() {
    return hash;
  }

  /** The whitepaper's From, recovered from the signature; empty when no key matches it. */
  public Optional<Address> sender(SenderRecovery recovery) {
    return recovery.recover(transaction.signingHash(), signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedTransaction that && Arrays.equals(encoded, that.encoded);
  }

  @Override
  public int hashCode() {
    return hash.hashCode();
  }

  @Override
  public String toString() {
    return "SignedTransaction[hash=" + hash + ", " + transaction + ", raw=0x"
        + HexFormat.of().formatHex(encoded) + "]";
  }
}
