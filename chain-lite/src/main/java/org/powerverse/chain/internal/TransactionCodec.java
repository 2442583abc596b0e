package org.powerverse.chain.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.powerverse.chain.AccessListEntry;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.InvalidTransactionException;
import org.powerverse.chain.LegacyTransaction;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.Transaction;
import org.powerverse.chain.TransactionSignature;
import org.powerverse.chain.internal.Rlp.Item;

/**
 * Ethereum transaction encodings: legacy with EIP-155 and EIP-1559 (type 2, EIP-2718 envelope).
 * Decoding is strict (canonical RLP, exact field counts, integer widths, EIP-2 low s).
 */
public final class TransactionCodec {

  /** geth's txMaxSize: 4 slots of 32 KiB. */
  public static final int MAX_ENCODED_BYTES = 128 * 1024;

  private static final BigInteger V_OFFSET = BigInteger.valueOf(35);

  private TransactionCodec() {}

  // --- signing payloads ---

  /** EIP-155: keccak256(rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])). */
  public static Bytes32 signingHash(LegacyTransaction tx) {
    List<byte[]> fields = legacyFields(tx);
    fields.add(Rlp.encodeInteger(tx.chainId()));
    fields.add(Rlp.encodeInteger(0));
    fields.add(Rlp.encodeInteger(0));
    return new Bytes32(Keccak.keccak256(Rlp.encodeList(fields)));
  }

  /** EIP-1559: keccak256(0x02 || rlp([chainId, nonce, ..., data, accessList])). */
  public static Bytes32 signingHash(DynamicFeeTransaction tx) {
    return new Bytes32(Keccak.keccak256(new byte[] {0x02}, Rlp.encodeList(dynamicFeeFields(tx))));
  }

  public static byte[] encodeSigned(Transaction transaction, TransactionSignature signature) {
    return switch (transaction) {
      case LegacyTransaction tx -> {
        List<byte[]> fields = legacyFields(tx);
        BigInteger v = BigInteger.valueOf(tx.chainId()).shiftLeft(1).add(V_OFFSET)
            .add(BigInteger.valueOf(signature.yParity()));
        fields.add(Rlp.encodeInteger(v));
        fields.add(Rlp.encodeInteger(signature.r()));
        fields.add(Rlp.encodeInteger(signature.s()));
        yield Rlp.encodeList(fields);
      }
      case DynamicFeeTransaction tx -> {
        List<byte[]> fields = dynamicFeeFields(tx);
        fields.add(Rlp.encodeInteger(signature.yParity()));
        fields.add(Rlp.encodeInteger(signature.r()));
        fields.add(Rlp.encodeInteger(signature.s()));
        byte[] body = Rlp.encodeList(fields);
        byte[] out = new byte[body.length + 1];
        out[0] = 0x02;
        System.arraycopy(body, 0, out, 1, body.length);
        yield out;
      }
    };
  }

  private static List<byte[]> legacyFields(LegacyTransaction tx) {
    List<byte[]> fields = new ArrayList<>();
    fields.add(Rlp.encodeInteger(tx.nonce()));
    fields.add(Rlp.encodeInteger(tx.gasPrice()));
    fields.add(Rlp.encodeInteger(tx.gasLimit()));
    fields.add(Rlp.encodeBytes(tx.to().map(Address::bytes).orElse(new byte[0])));
    fields.add(Rlp.encodeInteger(tx.value()));
    fields.add(Rlp.encodeBytes(tx.data()));
    return fields;
  }

  private static List<byte[]> dynamicFeeFields(DynamicFeeTransaction tx) {
    List<byte[]> fields = new ArrayList<>();
    fields.add(Rlp.encodeInteger(tx.chainId()));
    fields.add(Rlp.encodeInteger(tx.nonce()));
    fields.add(Rlp.encodeInteger(tx.maxPriorityFeePerGas()));
    fields.add(Rlp.encodeInteger(tx.maxFeePerGas()));
    fields.add(Rlp.encodeInteger(tx.gasLimit()));
    fields.add(Rlp.encodeBytes(tx.to().map(Address::bytes).orElse(new byte[0])));
    fields.add(Rlp.encodeInteger(tx.value()));
    fields.add(Rlp.encodeBytes(tx.data()));
    List<byte[]> entries = new ArrayList<>();
    for (AccessListEntry entry : tx.accessList()) {
      List<byte[]> keys = new ArrayList<>();
      for (Bytes32 key : entry.storageKeys()) {
        keys.add(Rlp.encodeBytes(key.bytes()));
      }
      entries.add(Rlp.encodeList(Rlp.encodeBytes(entry.address().bytes()), Rlp.encodeList(keys)));
    }
    fields.add(Rlp.encodeList(entries));
    return fields;
  }

  // --- decoding ---

  public static SignedTransaction decode(byte[] raw) {
    if (raw.length == 0) {
      throw new InvalidTransactionException("empty transaction");
    }
    if (raw.length > MAX_ENCODED_BYTES) {
      throw new InvalidTransactionException(
          "transaction of " + raw.length + " bytes, above the limit of " + MAX_ENCODED_BYTES);
    }
    int first = raw[0] & 0xFF;
    try {
      if (first >= 0xC0) {
        return decodeLegacy(Rlp.list(Rlp.decode(raw), "transaction"));
      }
      if (first == 0x02) {
        return decodeDynamicFee(Rlp.list(Rlp.decode(raw, 1, raw.length - 1), "transaction"));
      }
    } catch (Rlp.RlpException e) {
      throw new InvalidTransactionException("malformed transaction: " + e.getMessage(), e);
    }
    if (first <= 0x7F) {
      throw new InvalidTransactionException(
          "unsupported transaction type 0x" + String.format("%02x", first)
              + " (this chain takes legacy EIP-155 and EIP-1559 type 2)");
    }
    throw new InvalidTransactionException(
        "not a transaction: starts with 0x" + String.format("%02x", first)
            + ", neither an RLP list nor a type byte");
  }

  private static SignedTransaction decodeLegacy(List<Item> f) {
    requireFields(f, 9, "legacy transaction");
    BigInteger v = Rlp.integer(f.get(6), "v", 32);
    if (v.equals(BigInteger.valueOf(27)) || v.equals(BigInteger.valueOf(28))) {
      throw new InvalidTransactionException(
          "unprotected legacy transaction (v = " + v + "): EIP-155 chain id required");
    }
    if (v.compareTo(BigInteger.valueOf(37)) < 0) {
      throw new InvalidTransactionException("legacy transaction v = " + v
          + " is neither 27/28 nor EIP-155 (2·chainId + 35 + yParity)");
    }
    BigInteger chainId = v.subtract(V_OFFSET).shiftRight(1);
    if (chainId.bitLength() > 63) {
      throw new InvalidTransactionException("chain id above 2^63 - 1: " + chainId);
    }
    int yParity = v.subtract(V_OFFSET).testBit(0) ? 1 : 0;
    LegacyTransaction tx = new LegacyTransaction(chainId.longValue(),
        Rlp.uint63(f.get(0), "nonce"),
        Rlp.integer(f.get(1), "gasPrice", 32),
        Rlp.uint63(f.get(2), "gasLimit"),
        recipient(f.get(3)),
        Rlp.integer(f.get(4), "value", 32),
        Rlp.bytes(f.get(5), "data"));
    return new SignedTransaction(tx, signature(yParity, f.get(7), f.get(8)));
  }

  private static SignedTransaction decodeDynamicFee(List<Item> f) {
    requireFields(f, 12, "EIP-1559 transaction");
    BigInteger chainId = Rlp.integer(f.get(0), "chainId", 32);
    if (chainId.bitLength() > 63) {
      throw new InvalidTransactionException("chain id above 2^63 - 1: " + chainId);
    }
    List<AccessListEntry> accessList = new ArrayList<>();
    for (Item entryItem : Rlp.list(f.get(8), "accessList")) {
      List<Item> entry = Rlp.list(entryItem, "accessList entry");
      requireFields(entry, 2, "access list entry");
      List<Bytes32> keys = new ArrayList<>();
      for (Item key : Rlp.list(entry.get(1), "storageKeys")) {
        byte[] keyBytes = Rlp.bytes(key, "storage key");
        if (keyBytes.length != 32) {
          throw new InvalidTransactionException("storage key of " + keyBytes.length + " bytes, not 32");
        }
        keys.add(new Bytes32(keyBytes));
      }
      accessList.add(new AccessListEntry(address(Rlp.bytes(entry.get(0), "access list address")), keys));
    }
    BigInteger yParity = Rlp.integer(f.get(9), "yParity", 1);
    if (yParity.compareTo(BigInteger.ONE) > 0) {
      throw new InvalidTransactionException("yParity must be 0 or 1, got " + yParity);
    }
    DynamicFeeTransaction tx = new DynamicFeeTransaction(chainId.longValue(),
        Rlp.uint63(f.get(1), "nonce"),
        Rlp.integer(f.get(2), "maxPriorityFeePerGas", 32),
        Rlp.integer(f.get(3), "maxFeePerGas", 32),
        Rlp.uint63(f.get(4), "gasLimit"),
        recipient(f.get(5)),
        Rlp.integer(f.get(6), "value", 32),
        Rlp.bytes(f.get(7), "data"),
        accessList);
    return new SignedTransaction(tx, signature(yParity.intValue(), f.get(10), f.get(11)));
  }

  private static TransactionSignature signature(int yParity, Item r, Item s) {
    return new TransactionSignature(yParity, Rlp.integer(r, "r", 32), Rlp.integer(s, "s", 32));
  }

  private static Optional<Address> recipient(Item item) {
    byte[] to = Rlp.bytes(item, "to");
    return to.length == 0 ? Optional.empty() : Optional.of(address(to));
  }

  private static Address address(byte[] bytes) {
    if (bytes.length != Address.BYTES) {
      throw new InvalidTransactionException("address of " + bytes.length + " bytes, not 20");
    }
    return new Address(bytes);
  }

  private static void requireFields(List<Item> fields, int expected, String what) {
    if (fields.size() != expected) {
      throw new InvalidTransactionException(
          what + " has " + fields.size() + " fields, expected " + expected);
    }
  }
}
