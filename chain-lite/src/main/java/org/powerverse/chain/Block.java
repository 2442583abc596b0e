package org.powerverse.chain;

import java.util.List;
import java.util.Objects;

/** A header and its body, the transactions in order. */
public record Block(BlockHeader header, List<SignedTransaction> transactions) {

  public Block {
    Objects.requireNonNull(header, "header");
    transactions = List.copyOf(transactions);
  }

  public Bytes32 hash() {
    return header.hash();
  }
}
