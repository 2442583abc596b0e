/**
 * The PowerVerse Chain validator's building blocks: ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381), the
 * whitepaper's stake-weighted sortition, and Ethereum transactions with secp256k1 sender
 * recovery. Only {@code org.powerverse.chain} is API; {@code .internal} holds the arithmetic.
 */
module org.powerverse.chain {
  requires transitive org.powerverse.platform;
  requires org.bouncycastle.provider;
  requires info.picocli;
  requires com.sun.jna;

  exports org.powerverse.chain;

  // picocli reads and sets the command classes' annotated fields reflectively.
  // Jackson writes the API records (ChainStatus) into responses.
  opens org.powerverse.chain to info.picocli, com.fasterxml.jackson.databind;

  // JNA direct mapping binds the native methods of the libsecp256k1 binding reflectively.
  opens org.powerverse.chain.internal to com.sun.jna;
}
