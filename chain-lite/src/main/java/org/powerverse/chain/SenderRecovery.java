package org.powerverse.chain;

import java.util.Optional;
import org.powerverse.chain.internal.BouncyCastleSecp256k1;
import org.powerverse.chain.internal.LibSecp256k1;

/**
 * Recovers the signer's address from a signing hash and an ECDSA signature (secp256k1). Two
 * implementations compute the same function: Bouncy Castle in Java, and the C library
 * libsecp256k1 through JNA, several times faster; {@link #fastest} picks the library when the
 * system has it.
 */
public interface SenderRecovery {

  /** The address whose key made the signature, or empty when no point/key matches it. */
  Optional<Address> recover(Bytes32 signingHash, TransactionSignature signature);

  /** Which implementation this is, for logs and benchmarks. */
  String name();

  static SenderRecovery bouncyCastle() {
    return BouncyCastleSecp256k1.RECOVERY;
  }

  /** libsecp256k1 (Debian: libsecp256k1-1 or -2), or empty when it cannot be loaded. */
  static Optional<SenderRecovery> libsecp256k1() {
    return LibSecp256k1.recovery();
  }

  static SenderRecovery fastest() {
    return libsecp256k1().orElse(bouncyCastle());
  }
}
