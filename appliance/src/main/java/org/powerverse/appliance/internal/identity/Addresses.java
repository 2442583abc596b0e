package org.powerverse.appliance.internal.identity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.powerverse.platform.Base58;

/** How keys become names: Ethereum addresses (EIP-55) and libp2p peer ids. */
public final class Addresses {

  private Addresses() {}

  public static byte[] keccak256(byte[] data) {
    KeccakDigest digest = new KeccakDigest(256);
    digest.update(data, 0, data.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /**
   * The account address of a secp256k1 public key: the last 20 bytes of Keccak-256 of the
   * uncompressed point without its 0x04 prefix (Ethereum yellow paper, eq. 284), EIP-55 cased.
   */
  public static String ethereumAddress(byte[] uncompressedPublicKey) {
    if (uncompressedPublicKey.length != 65 || uncompressedPublicKey[0] != 0x04) {
      throw new IllegalArgumentException("expected a 65-byte uncompressed secp256k1 point, got "
          + uncompressedPublicKey.length + " bytes");
    }
    byte[] hash = keccak256(Arrays.copyOfRange(uncompressedPublicKey, 1, 65));
    return checksum(HexFormat.of().formatHex(hash, 12, 32));
  }

  /** EIP-55: a hex letter is upper-case where the Keccak-256 of the lower-case address has a nibble >= 8. */
  public static String checksum(String lowerHexAddress) {
    String lower = lowerHexAddress.toLowerCase(java.util.Locale.ROOT);
    byte[] hash = keccak256(lower.getBytes(StandardCharsets.US_ASCII));
    StringBuilder out = new StringBuilder("0x");
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
      out.append(Character.isLetter(c) && nibble >= 8 ? Character.toUpperCase(c) : c);
    }
    return out.toString();
  }

  /**
   * The libp2p peer id of an Ed25519 public key (libp2p peer-ids spec): the protobuf
   * PublicKey{Type=Ed25519(1), Data=key} is 36 bytes, under the 42-byte limit, so it is wrapped in an
   * identity multihash (0x00, length 0x24) and written in base58btc.
   */
  public static String peerId(byte[] ed25519PublicKey) {
    if (ed25519PublicKey.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, got " + ed25519PublicKey.length);
    }
    byte[] multihash = new byte[38];
    multihash[0] = 0x00; // identity
    multihash[1] = 0x24; // 36 bytes follow
    multihash[2] = 0x08; // field 1 (Type), varint
    multihash[3] = 0x01; // Ed25519
    multihash[4] = 0x12; // field 2 (Data), length-delimited
    multihash[5] = 0x20; // 32 bytes
    System.arraycopy(ed25519PublicKey, 0, multihash, 6, 32);
    return Base58.encode(multihash);
  }
}
