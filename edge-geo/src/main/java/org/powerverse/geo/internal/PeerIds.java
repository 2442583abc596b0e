package org.powerverse.geo.internal;

import java.util.Arrays;
import java.util.Optional;
import org.powerverse.platform.Base58;

/**
 * libp2p peer ids of Ed25519 keys (libp2p specs, peer-ids.md): the identity multihash (code 0x00,
 * length 0x24) of the protobuf {@code PublicKey{Type: Ed25519 (1), Data: 32 bytes}}, i.e. the bytes
 * {@code 00 24 08 01 12 20 || key}, in base58btc. They start with {@code 12D3KooW}.
 */
public final class PeerIds {

  private static final byte[] PREFIX = {0x00, 0x24, 0x08, 0x01, 0x12, 0x20};

  private PeerIds() {}

  public static String ofEd25519(byte[] publicKey) {
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got "
          + (publicKey == null ? "none" : publicKey.length));
    }
    byte[] multihash = Arrays.copyOf(PREFIX, PREFIX.length + 32);
    System.arraycopy(publicKey, 0, multihash, PREFIX.length, 32);
    return Base58.encode(multihash);
  }

  /** The Ed25519 key a peer id embeds; empty for anything else (RSA or secp256k1 ids, garbage). */
  public static Optional<byte[]> ed25519KeyOf(String peerId) {
    byte[] multihash;
    try {
      multihash = Base58.decode(peerId);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (multihash.length != PREFIX.length + 32 || !Arrays.equals(multihash, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(multihash, PREFIX.length, multihash.length));
  }
}
