package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.AccessListObject;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;

/** web3j (org.web3j:crypto) as a differential oracle: same bytes signed, same fields decoded. */
class Web3jDifferentialTest {

  static final HexFormat HEX = HexFormat.of();

  static RawTransaction toWeb3j(Transaction tx) {
    String to = tx.to().map(Address::toString).orElse("");
    String data = "0x" + HEX.formatHex(tx.data());
    return switch (tx) {
      case LegacyTransaction legacy -> RawTransaction.createTransaction(
          BigInteger.valueOf(legacy.nonce()), legacy.gasPrice(),
          BigInteger.valueOf(legacy.gasLimit()), to, legacy.value(), data);
      case DynamicFeeTransaction dynamic -> {
        List<AccessListObject> accessList = new ArrayList<>();
        for (AccessListEntry entry : dynamic.accessList()) {
          accessList.add(new AccessListObject(entry.address().toString(),
              entry.storageKeys().stream().map(Bytes32::toString).toList()));
        }
        yield RawTransaction.createTransaction(dynamic.chainId(),
            BigInteger.valueOf(dynamic.nonce()), BigInteger.valueOf(dynamic.gasLimit()), to,
            dynamic.value(), data, dynamic.maxPriorityFeePerGas(), dynamic.maxFeePerGas(),
            accessList);
      }
    };
  }

  @Test
  void signsTheSameBytesAsWeb3j() {
    SplittableRandom random = new SplittableRandom(155);
    for (int i = 0; i < 300; i++) {
      byte[] key = RandomTransactions.privateKey(random);
      Transaction tx = RandomTransactions.transaction(random);
      Credentials credentials = Credentials.create(HEX.formatHex(key));
      byte[] expected = tx instanceof LegacyTransaction
          ? TransactionEncoder.signMessage(toWeb3j(tx), tx.chainId(), credentials)
          : TransactionEncoder.signMessage(toWeb3j(tx), credentials);
      SignedTransaction ours = Transactions.sign(tx, key);
      assertEquals(HEX.formatHex(expected), HEX.formatHex(ours.encoded()), tx.toString());
      assertEquals(credentials.getAddress(), Transactions.address(key).toString());
    }
  }

  @Test
  void decodesWhatWeb3jDecodes() throws Exception {
    SplittableRandom random = new SplittableRandom(2718);
    for (int i = 0; i < 300; i++) {
      byte[] key = RandomTransactions.privateKey(random);
      Transaction tx = RandomTransactions.transaction(random);
      byte[] raw = Transactions.sign(tx, key).encoded();
      SignedRawTransaction theirs = assertInstanceOf(SignedRawTransaction.class,
          TransactionDecoder.decode("0x" + HEX.formatHex(raw)));
      SignedTransaction ours = Transactions.decode(raw);
      Transaction decoded = ours.transaction();
      assertEquals(BigInteger.valueOf(decoded.nonce()), theirs.getNonce());
      assertEquals(BigInteger.valueOf(decoded.gasLimit()), theirs.getGasLimit());
      assertEquals(decoded.value(), theirs.getValue());
      // web3j spells "no recipient" (contract creation) as null or "0x".
      String theirTo = theirs.getTo() == null || theirs.getTo().equals("0x") ? "" : theirs.getTo();
      assertEquals(decoded.to().map(Address::toString).orElse(""), theirTo.toLowerCase());
      assertEquals("0x" + HEX.formatHex(decoded.data()), theirs.getData().startsWith("0x")
          ? theirs.getData() : "0x" + theirs.getData());
      if (decoded instanceof DynamicFeeTransaction dynamic) {
        Transaction1559 t = assertInstanceOf(Transaction1559.class, theirs.getTransaction());
        assertEquals(dynamic.chainId(), t.getChainId());
        assertEquals(dynamic.maxFeePerGas(), t.getMaxFeePerGas());
        assertEquals(dynamic.maxPriorityFeePerGas(), t.getMaxPriorityFeePerGas());
      } else {
        assertEquals(((LegacyTransaction) decoded).gasPrice(), theirs.getGasPrice());
        assertEquals(decoded.chainId(), theirs.getChainId().longValue());
      }
      assertEquals(theirs.getFrom(), ours.sender(SenderRecovery.bouncyCastle()).orElseThrow().toString());
      assertArrayEquals(raw, ours.encoded());
    }
  }
}
