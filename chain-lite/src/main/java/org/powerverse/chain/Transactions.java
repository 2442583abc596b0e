package org.powerverse.chain;

import java.util.Objects;
import org.powerverse.chain.internal.BouncyCastleSecp256k1;
import org.powerverse.chain.internal.TransactionCodec;

/** Decoding and signing of Ethereum transactions (legacy EIP-155 and EIP-1559). */
public final class Transactions {

  /** The largest encoded transaction accepted (geth's limit). */
  public static final int MAX_ENCODED_BYTES = TransactionCodec.MAX_ENCODED_BYTES;

  private Transactions() {}

  /**
   * Decodes a raw transaction (eth_sendRawTransaction's bytes), accepting only canonical
   * encodings of EIP-155 legacy and EIP-1559 transactions.
   *
   * @throws InvalidTransactionException with the reason
   */
  public static SignedTransaction decode(byte[] raw) {
    return TransactionCodec.decode(Objects.requireNonNull(raw, "raw"));
  }

  /** Signs with a 32-byte secp256k1 private key (RFC 6979 deterministic, low s). */
  public static SignedTransaction sign(Transaction transaction, byte[] privateKey) {
    return new SignedTransaction(transaction,
        BouncyCastleSecp256k1.sign(transaction.signingHash().bytes(), privateKey));
  }

  /** The account address of a 32-byte secp256k1 private key. */
  public static Address address(byte[] privateKey) {
    return Address.ofPublicKey(BouncyCastleSecp256k1.publicKey(privateKey));
  }
}
