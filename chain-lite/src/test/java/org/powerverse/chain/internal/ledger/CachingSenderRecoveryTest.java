package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.TransactionSignature;

class CachingSenderRecoveryTest {

  @Test
  void recoversEachTransactionOnceWithinCapacityAndAgreesWithTheDelegate() {
    AtomicInteger calls = new AtomicInteger();
    SenderRecovery counting = new SenderRecovery() {
      public Optional<Address> recover(Bytes32 signingHash, TransactionSignature signature) {
        calls.incrementAndGet();
        return SenderRecovery.bouncyCastle().recover(signingHash, signature);
      }

      public String name() {
        return "counting";
      }
    };
    CachingSenderRecovery cached = new CachingSenderRecovery(counting, 2);
    Address bob = Address.fromHex("0x00000000000000000000000000000000000b0b00");
    RecoveredTransaction a = TestChain.transfer(0, 0, bob, BigInteger.ONE);
    RecoveredTransaction b = TestChain.transfer(1, 0, bob, BigInteger.ONE);
    RecoveredTransaction c = TestChain.transfer(2, 0, bob, BigInteger.ONE);
    assertEquals(Optional.of(a.sender()), a.transaction().sender(cached));
    assertEquals(Optional.of(a.sender()), a.transaction().sender(cached));
    assertEquals(1, calls.get());
    assertEquals(Optional.of(b.sender()), b.transaction().sender(cached));
    assertEquals(Optional.of(c.sender()), c.transaction().sender(cached)); // evicts a (capacity 2)
    assertEquals(3, calls.get());
    assertEquals(Optional.of(a.sender()), a.transaction().sender(cached));
    assertEquals(4, calls.get());
  }
}
