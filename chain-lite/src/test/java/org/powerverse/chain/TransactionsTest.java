package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.internal.Rlp;

class TransactionsTest {

  static final HexFormat HEX = HexFormat.of();
  static final TestVectors.Record EIP155 = TestVectors.read("/tx/eip155-example.txt").get(0);

  static LegacyTransaction eip155Transaction() {
    return new LegacyTransaction(Long.parseLong(EIP155.text("chainId")),
        Long.parseLong(EIP155.text("nonce")), new BigInteger(EIP155.text("gasPrice")),
        Long.parseLong(EIP155.text("gasLimit")), Optional.of(new Address(EIP155.hex("to"))),
        new BigInteger(EIP155.text("value")), EIP155.hex("data"));
  }

  @Test
  void signsTheEip155Example() {
    LegacyTransaction tx = eip155Transaction();
    assertEquals(EIP155.text("signingHash"), HEX.formatHex(tx.signingHash().bytes()));
    SignedTransaction signed = Transactions.sign(tx, EIP155.hex("privateKey"));
    assertEquals(new BigInteger(EIP155.text("r")), signed.signature().r());
    assertEquals(new BigInteger(EIP155.text("s")), signed.signature().s());
    assertEquals(EIP155.text("signed"), HEX.formatHex(signed.encoded()));
  }

  @Test
  void decodesTheEip155ExampleAndRecoversItsSender() {
    SignedTransaction signed = Transactions.decode(EIP155.hex("signed"));
    assertEquals(eip155Transaction(), signed.transaction());
    assertEquals(0, signed.signature().yParity(), "v = 37 = 2·1 + 35 + 0");
    Address sender = Transactions.address(EIP155.hex("privateKey"));
    assertEquals(Optional.of(sender), signed.sender(SenderRecovery.bouncyCastle()));
    assertEquals("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F", sender.toChecksumString());
  }

  @Test
  void roundTripsRandomTransactionsOfBothTypes() {
    SplittableRandom random = new SplittableRandom(1559);
    for (int i = 0; i < 200; i++) {
      byte[] key = RandomTransactions.privateKey(random);
      Transaction tx = RandomTransactions.transaction(random);
      SignedTransaction signed = Transactions.sign(tx, key);
      SignedTransaction decoded = Transactions.decode(signed.encoded());
      assertEquals(tx, decoded.transaction());
      assertEquals(signed.signature(), decoded.signature());
      assertEquals(signed.hash(), decoded.hash());
      assertEquals(Optional.of(Transactions.address(key)), decoded.sender(SenderRecovery.bouncyCastle()));
    }
  }

  @Test
  void effectiveGasPriceFollowsEip1559() {
    DynamicFeeTransaction tx = new DynamicFeeTransaction(7, 0, BigInteger.valueOf(2),
        BigInteger.valueOf(100), 21_000, Optional.empty(), BigInteger.ZERO, new byte[0], List.of());
    assertEquals(BigInteger.valueOf(12), tx.effectiveGasPrice(BigInteger.TEN));
    assertEquals(BigInteger.valueOf(100), tx.effectiveGasPrice(BigInteger.valueOf(99)));
    assertThrows(InvalidTransactionException.class, () -> new DynamicFeeTransaction(7, 0,
        BigInteger.valueOf(101), BigInteger.valueOf(100), 21_000, Optional.empty(),
        BigInteger.ZERO, new byte[0], List.of()));
  }

  @Test
  void rejectsFeesThatOverflow256Bits() {
    BigInteger price = BigInteger.ONE.shiftLeft(250);
    assertThrows(InvalidTransactionException.class, () -> new LegacyTransaction(1, 0, price,
        64, Optional.empty(), BigInteger.ZERO, new byte[0]));
    assertThrows(InvalidTransactionException.class, () -> new DynamicFeeTransaction(1, 0,
        BigInteger.ZERO, price, 64, Optional.empty(), BigInteger.ZERO, new byte[0], List.of()));
    new LegacyTransaction(1, 0, price, 63, Optional.empty(), BigInteger.ZERO, new byte[0]);
  }

  // --- strict decoding: each mutation of the EIP-155 example must be refused, with its reason ---

  /** The example's nine RLP fields, encoded, for mutation. */
  static List<byte[]> exampleFields() {
    List<byte[]> fields = new ArrayList<>();
    for (Rlp.Item item : Rlp.list(Rlp.decode(EIP155.hex("signed")), "tx")) {
      fields.add(Rlp.encodeBytes(Rlp.bytes(item, "field")));
    }
    return fields;
  }

  static void assertRejected(byte[] raw, String reason) {
    InvalidTransactionException e =
        assertThrows(InvalidTransactionException.class, () -> Transactions.decode(raw));
    assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
  }

  @Test
  void rejectsIntegerWithLeadingZero() {
    List<byte[]> fields = exampleFields();
    fields.set(0, HEX.parseHex("820009")); // nonce 9 as 0x0009
    assertRejected(Rlp.encodeList(fields), "nonce: integer with a leading zero byte");
  }

  @Test
  void rejectsSingleByteWrappedAsString() {
    List<byte[]> fields = exampleFields();
    fields.set(0, HEX.parseHex("8109")); // nonce 9 must be the byte 0x09 itself
    assertRejected(Rlp.encodeList(fields), "single byte below 0x80 encoded as a string");
  }

  @Test
  void rejectsLongFormForShortPayload() {
    List<byte[]> fields = exampleFields();
    fields.set(3, HEX.parseHex("b814" + "35".repeat(20))); // 20 bytes in the long form
    assertRejected(Rlp.encodeList(fields), "long form for a payload of 20 bytes");
  }

  @Test
  void rejectsTrailingBytes() {
    byte[] raw = EIP155.hex("signed");
    byte[] longer = java.util.Arrays.copyOf(raw, raw.length + 1);
    assertRejected(longer, "trailing bytes");
  }

  @Test
  void rejectsTruncatedInput() {
    byte[] raw = EIP155.hex("signed");
    assertRejected(java.util.Arrays.copyOf(raw, raw.length - 1), "runs past the input");
  }

  @Test
  void rejectsWrongFieldCount() {
    List<byte[]> fields = exampleFields();
    fields.remove(5);
    assertRejected(Rlp.encodeList(fields), "legacy transaction has 8 fields, expected 9");
  }

  @Test
  void rejectsUnprotectedLegacyTransaction() {
    List<byte[]> fields = exampleFields();
    fields.set(6, Rlp.encodeInteger(27));
    assertRejected(Rlp.encodeList(fields), "EIP-155 chain id required");
  }

  @Test
  void rejectsHighS() {
    List<byte[]> fields = exampleFields();
    BigInteger s = new BigInteger(EIP155.text("s"));
    fields.set(8, Rlp.encodeInteger(TransactionSignature.CURVE_ORDER.subtract(s)));
    fields.set(6, Rlp.encodeInteger(38)); // the twin signature flips R's parity
    assertRejected(Rlp.encodeList(fields), "EIP-2 low s");
  }

  @Test
  void rejectsRNotBelowCurveOrder() {
    List<byte[]> fields = exampleFields();
    fields.set(7, Rlp.encodeInteger(TransactionSignature.CURVE_ORDER));
    assertRejected(Rlp.encodeList(fields), "signature r must be in [1, n)");
    fields.set(7, Rlp.encodeInteger(0));
    assertRejected(Rlp.encodeList(fields), "signature r must be in [1, n)");
  }

  @Test
  void rejectsAddressOfWrongLength() {
    List<byte[]> fields = exampleFields();
    fields.set(3, Rlp.encodeBytes(new byte[19]));
    assertRejected(Rlp.encodeList(fields), "address of 19 bytes");
  }

  @Test
  void rejectsUnsupportedTypes() {
    assertRejected(HEX.parseHex("01c0"), "unsupported transaction type 0x01");
    assertRejected(HEX.parseHex("03c0"), "unsupported transaction type 0x03");
    assertRejected(HEX.parseHex("80"), "not a transaction");
    assertRejected(new byte[0], "empty transaction");
    assertRejected(new byte[Transactions.MAX_ENCODED_BYTES + 1], "above the limit");
  }

  @Test
  void rejectsDynamicFeeTransactionWithBadYParity() {
    SplittableRandom random = new SplittableRandom(2);
    DynamicFeeTransaction tx = new DynamicFeeTransaction(5, 1, BigInteger.ONE, BigInteger.TEN,
        21_000, Optional.of(new Address(new byte[20])), BigInteger.ONE, new byte[0], List.of());
    SignedTransaction signed = Transactions.sign(tx, RandomTransactions.privateKey(random));
    byte[] raw = signed.encoded();
    List<byte[]> fields = new ArrayList<>();
    for (Rlp.Item item : Rlp.list(Rlp.decode(raw, 1, raw.length - 1), "tx")) {
      fields.add(item instanceof Rlp.Bytes b ? Rlp.encodeBytes(b.value()) : Rlp.encodeList());
    }
    fields.set(9, Rlp.encodeInteger(2));
    byte[] body = Rlp.encodeList(fields);
    byte[] mutated = new byte[body.length + 1];
    mutated[0] = 2;
    System.arraycopy(body, 0, mutated, 1, body.length);
    assertRejected(mutated, "yParity must be 0 or 1");
  }

  @Test
  void checksumAddressesFollowEip55() {
    // EIP-55's own examples (CC0).
    for (String address : List.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359", "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
      assertEquals(address, Address.fromHex(address).toChecksumString());
    }
    assertArrayEquals(new byte[20], Address.fromHex("0x" + "00".repeat(20)).bytes());
  }
}
