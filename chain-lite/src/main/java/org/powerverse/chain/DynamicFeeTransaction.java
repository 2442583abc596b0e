package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.internal.TransactionCodec;

/** An EIP-1559 (type 2) transaction: 0x02 || rlp([chainId, nonce, ..., accessList, yParity, r, s]). */
public record DynamicFeeTransaction(long chainId, long nonce, BigInteger maxPriorityFeePerGas,
    BigInteger maxFeePerGas, long gasLimit, Optional<Address> to, BigInteger value, byte[] data,
    List<AccessListEntry> accessList) implements Transaction {

  public DynamicFeeTransaction {
    Values.chainId(chainId);
    Values.nonNegative("nonce", nonce);
    Values.uint256("maxPriorityFeePerGas", maxPriorityFeePerGas);
    Values.uint256("maxFeePerGas", maxFeePerGas);
    if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
      // EIP-1559: "assert transaction.max_fee_per_gas >= transaction.max_priority_fee_per_gas"
      throw new InvalidTransactionException("maxPriorityFeePerGas " + maxPriorityFeePerGas
          + " is above maxFeePerGas " + maxFeePerGas);
    }
    Values.nonNegative("gasLimit", gasLimit);
    Values.feeFits("maxFeePerGas", gasLimit, maxFeePerGas);
    Objects.requireNonNull(to, "to");
    Values.uint256("value", value);
    data = data.clone();
    accessList = List.copyOf(accessList);
  }

  @Override
  public int type() {
    return 2;
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** EIP-1559: min(maxFeePerGas, baseFee + maxPriorityFeePerGas). */
  @Override
  public BigInteger effectiveGasPrice(BigInteger baseFeePerGas) {
    return maxFeePerGas.min(baseFeePerGas.add(maxPriorityFeePerGas));
  }

  @Override
  public Bytes32 signingHash() {
    return TransactionCodec.signingHash(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DynamicFeeTransaction that
        && chainId == that.chainId && nonce == that.nonce && gasLimit == that.gasLimit
        && maxPriorityFeePerGas.equals(that.maxPriorityFeePerGas)
        && maxFeePerGas.equals(that.maxFeePerGas) && to.equals(that.to)
        && value.equals(that.value) && Arrays.equals(data, that.data)
        && accessList.equals(that.accessList);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value,
        Arrays.hashCode(data), accessList);
  }

  @Override
  public String toString() {
    return "DynamicFeeTransaction[chainId=" + chainId + ", nonce=" + nonce
        + ", maxPriorityFeePerGas=" + maxPriorityFeePerGas + ", maxFeePerGas=" + maxFeePerGas
        + ", gasLimit=" + gasLimit + ", to=" + to.map(Address::toString).orElse("(create)")
        + ", value=" + value + ", data=0x" + HexFormat.of().formatHex(data)
        + ", accessList=" + accessList + "]";
  }
}
