package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** libsecp256k1 (a system library) against Bouncy Castle: the same sender for every signature. */
@Tag("integration")
class SenderRecoveryTest {

  static SenderRecovery nativeRecovery() {
    Optional<SenderRecovery> recovery = SenderRecovery.libsecp256k1();
    Assumptions.assumeTrue(recovery.isPresent(),
        "libsecp256k1 not found (Debian package libsecp256k1-1 on bookworm, libsecp256k1-2 on trixie)");
    return recovery.get();
  }

  @Test
  void libsecp256k1RecoversTheSameSendersAsBouncyCastle() {
    SenderRecovery lib = nativeRecovery();
    SplittableRandom random = new SplittableRandom(256);
    for (int i = 0; i < 500; i++) {
      byte[] key = RandomTransactions.privateKey(random);
      SignedTransaction signed = Transactions.sign(RandomTransactions.transaction(random), key);
      Address expected = Transactions.address(key);
      assertEquals(Optional.of(expected), signed.sender(lib));
      assertEquals(Optional.of(expected), signed.sender(SenderRecovery.bouncyCastle()));
    }
  }

  @Test
  void bothAgreeOnForgedSignatures() {
    // Random (r, s) over a real hash: some r have no curve point (both say empty), the rest
    // recover some key that is not the signer's; both must say the same.
    SenderRecovery lib = nativeRecovery();
    SplittableRandom random = new SplittableRandom(512);
    SignedTransaction signed = Transactions.sign(RandomTransactions.transaction(random),
        RandomTransactions.privateKey(random));
    int empty = 0;
    for (int i = 0; i < 300; i++) {
      TransactionSignature forged;
      try {
        forged = new TransactionSignature(random.nextInt(2),
            new java.math.BigInteger(256, new java.util.Random(random.nextLong())),
            new java.math.BigInteger(255, new java.util.Random(random.nextLong())));
      } catch (InvalidTransactionException outOfRange) {
        continue;
      }
      Bytes32 hash = signed.transaction().signingHash();
      Optional<Address> fromLib = lib.recover(hash, forged);
      assertEquals(SenderRecovery.bouncyCastle().recover(hash, forged), fromLib);
      empty += fromLib.isEmpty() ? 1 : 0;
    }
    assertNotEquals(0, empty, "about half of random r are not x-coordinates of a point");
  }
}
