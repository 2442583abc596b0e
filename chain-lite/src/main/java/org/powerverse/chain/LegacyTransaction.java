package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.internal.TransactionCodec;

/**
 * A legacy (type 0) transaction with EIP-155 replay protection: the chain id is signed and
 * carried in v = 2·chainId + 35 + yParity. Unprotected legacy transactions (v = 27/28) are not
 * accepted on this chain.
 */
public record LegacyTransaction(long chainId, long nonce, BigInteger gasPrice, long gasLimit,
    Optional<Address> to, BigInteger value, byte[] data) implements Transaction {

  public LegacyTransaction {
    Values.chainId(chainId);
    Values.nonNegative("nonce", nonce);
    Values.uint256("gasPrice", gasPrice);
    Values.nonNegative("gasLimit", gasLimit);
    Values.feeFits("gasPrice", gasLimit, gasPrice);
    Objects.requireNonNull(to, "to");
    Values.uint256("value", value);
    data = data.clone();
  }

  @Override
  public int type() {
    return 0;
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public BigInteger maxFeePerGas() {
    return gasPrice;
  }

  @Override
  public BigInteger effectiveGasPrice(BigInteger baseFeePerGas) {
    return gasPrice;
  }

  @Override
  public Bytes32 signingHash() {
    return TransactionCodec.signingHash(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LegacyTransaction that
        && chainId == that.chainId && nonce == that.nonce && gasLimit == that.gasLimit
        && gasPrice.equals(that.gasPrice) && to.equals(that.to) && value.equals(that.value)
        && Arrays.equals(data, that.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chainId, nonce, gasPrice, gasLimit, to, value, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "LegacyTransaction[chainId=" + chainId + ", nonce=" + nonce + ", gasPrice=" + gasPrice
        + ", gasLimit=" + gasLimit + ", to=" + to.map(Address::toString).orElse("(create)")
        + ", value=" + value + ", data=0x" + HexFormat.of().formatHex(data) + "]";
  }
}
