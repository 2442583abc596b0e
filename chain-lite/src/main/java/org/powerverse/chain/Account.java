package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Objects;

/** An account's nonce and balance in wei (Ethereum's account state, without code and storage). */
public record Account(long nonce, BigInteger balance) {

  public static final Account EMPTY = new Account(0, BigInteger.ZERO);

  public Account {
    Objects.requireNonNull(balance, "balance");
    if (nonce < 0) {
      throw new IllegalArgumentException("nonce must not be negative, got " + nonce);
    }
    if (balance.signum() < 0) {
      throw new IllegalArgumentException("balance must not be negative, got " + balance);
    }
  }

  public boolean isEmpty() {
    return nonce == 0 && balance.signum() == 0;
  }

  public Account withBalance(BigInteger newBalance) {
    return new Account(nonce, newBalance);
  }

  public Account credit(BigInteger amount) {
    return new Account(nonce, balance.add(amount));
  }

  public Account debit(BigInteger amount) {
    return new Account(nonce, balance.subtract(amount));
  }

  public Account nextNonce() {
    return new Account(Math.addExact(nonce, 1), balance);
  }
}
