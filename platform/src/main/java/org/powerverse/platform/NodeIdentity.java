package org.powerverse.platform;

/**
 * The node's keys, created once at first boot and loaded ever after. One place creates and loads
 * them; everything else asks this interface. Private keys never leave it, except where a protocol
 * needs the raw scalar (VRF), through methods that say so.
 */
public interface NodeIdentity {

  /** The node's id: the libp2p peer id of its Ed25519 key ({@code 12D3KooW...}). */
  String nodeId();

  /** The node's account as a DID: {@code did:pkh:eip155:<chainId>:<address>}. */
  String did();

  /** The secp256k1 account address, EIP-55 checksummed ({@code 0x...}). */
  String accountAddress();

  /** The raw 32-byte Ed25519 public key (RFC 8032). */
  byte[] ed25519PublicKey();

  /** An Ed25519 signature (RFC 8032, pure) of {@code message} by the node's key. */
  byte[] signEd25519(byte[] message);

  /** SHA-256 of the API certificate's DER, as {@code openssl x509 -fingerprint -sha256} prints it. */
  String tlsFingerprint();
}
