package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.powerverse.chain.internal.ledger.TestChain.GWEI;
import static org.powerverse.chain.internal.ledger.TestChain.address;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Address;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.internal.ledger.TransactionPool.Rejection;

class TransactionPoolTest {

  private static final Address BOB = Address.fromHex("0x00000000000000000000000000000000000b0b00");
  private static final BigInteger RICH = TestChain.FUNDS;

  private final TransactionPool pool = new TransactionPool(TestChain.CHAIN_ID, 30_000_000,
      new TransactionPool.Limits(4, 6, 8, BigInteger.valueOf(100)));

  private static RecoveredTransaction tx(int from, long nonce, long tipGwei, long maxFeeGwei) {
    return TestChain.dynamic(from, nonce, BOB, BigInteger.ONE, GWEI.multiply(BigInteger.valueOf(tipGwei)),
        GWEI.multiply(BigInteger.valueOf(maxFeeGwei)), new byte[0]);
  }

  private Optional<Rejection> add(RecoveredTransaction tx, long nonce) {
    return pool.add(tx, nonce, RICH).rejection();
  }

  @Test
  void rejectsWithTheReason() {
    assertEquals(Optional.empty(), add(tx(0, 0, 1, 2), 0));
    assertEquals(Optional.of(Rejection.ALREADY_KNOWN), add(tx(0, 0, 1, 2), 0));
    assertEquals(Optional.of(Rejection.NONCE_TOO_LOW), add(tx(1, 2, 1, 2), 3));
    assertEquals(Optional.of(Rejection.NONCE_GAP_TOO_LARGE), add(tx(1, 8, 1, 2), 0));
    assertEquals(Optional.of(Rejection.FEE_CAP_TOO_LOW),
        add(TestChain.dynamic(1, 0, BOB, BigInteger.ONE, BigInteger.ZERO, BigInteger.valueOf(99), new byte[0]), 0));
    assertEquals(Optional.of(Rejection.INSUFFICIENT_FUNDS), pool.add(tx(1, 0, 1, 2), 0, BigInteger.TEN).rejection());
    TransactionPool otherChain = new TransactionPool(TestChain.CHAIN_ID + 1, 30_000_000, TransactionPool.Limits.DEFAULT);
    assertEquals(Optional.of(Rejection.WRONG_CHAIN), otherChain.add(tx(1, 0, 1, 2), 0, RICH).rejection());
    assertEquals(Optional.of(Rejection.GAS_LIMIT_ABOVE_BLOCK),
        new TransactionPool(TestChain.CHAIN_ID, 50_000, TransactionPool.Limits.DEFAULT).add(tx(1, 0, 1, 2), 0, RICH).rejection());
    assertEquals(1, pool.size());
  }

  @Test
  void replacementNeedsTenPercentMoreTipAndFeeCap() {
    assertTrue(pool.add(tx(0, 0, 10, 20), 0, RICH).isAccepted());
    assertEquals(Optional.of(Rejection.REPLACEMENT_UNDERPRICED), add(tx(0, 0, 10, 40), 0), "tip not bumped");
    assertEquals(Optional.of(Rejection.REPLACEMENT_UNDERPRICED), add(tx(0, 0, 20, 21), 0), "fee cap bumped 5 %");
    RecoveredTransaction replacement = tx(0, 0, 11, 22);
    TransactionPool.Outcome outcome = pool.add(replacement, 0, RICH);
    assertTrue(outcome.isAccepted());
    assertEquals(Optional.of(tx(0, 0, 10, 20).transaction().hash()), outcome.replaced());
    assertEquals(1, pool.size());
    assertEquals(Optional.of(replacement), pool.get(replacement.transaction().hash()));
  }

  @Test
  void limitsPerSenderAndInTotal() {
    for (int nonce = 0; nonce < 4; nonce++) {
      assertEquals(Optional.empty(), add(tx(0, nonce, 1, 2), 0));
    }
    assertEquals(Optional.of(Rejection.SENDER_LIMIT), add(tx(0, 4, 1, 2), 0));
    assertEquals(Optional.empty(), add(tx(1, 0, 1, 2), 0));
    assertEquals(Optional.empty(), add(tx(2, 0, 1, 2), 0));
    assertEquals(Optional.of(Rejection.POOL_FULL), add(tx(3, 0, 1, 2), 0));
  }

  @Test
  void selectsEachSendersRunInNonceOrderHighestTipFirst() {
    add(tx(0, 1, 5, 10), 0);
    add(tx(0, 0, 1, 10), 0);
    add(tx(1, 0, 3, 10), 0);
    add(tx(2, 1, 9, 10), 0); // gap: sender 2 is at nonce 0
    BigInteger baseFee = GWEI;
    Map<Address, Long> nonces = Map.of(address(0), 0L, address(1), 0L, address(2), 0L);
    List<RecoveredTransaction> selected = pool.select(a -> nonces.getOrDefault(a, 0L), baseFee, 30_000_000, 100);
    assertEquals(List.of(tx(1, 0, 3, 10), tx(0, 0, 1, 10), tx(0, 1, 5, 10)), selected);
    assertEquals(2, pool.pendingNonce(address(0), 0));
    // A base fee above a fee cap stops that sender.
    assertEquals(List.of(), pool.select(a -> 0L, GWEI.multiply(BigInteger.valueOf(11)), 30_000_000, 100));
    pool.prune(address(0), 1);
    assertEquals(3, pool.size());
    assertEquals(List.of(tx(0, 1, 5, 10), tx(1, 0, 3, 10)),
        pool.select(a -> a.equals(address(0)) ? 1L : 0L, baseFee, 30_000_000, 100));
    assertEquals(List.of(tx(0, 1, 5, 10)), pool.select(a -> a.equals(address(0)) ? 1L : 0L, baseFee, 30_000_000, 1));
  }
}
