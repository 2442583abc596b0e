package org.powerverse.appliance.internal.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.powerverse.platform.Base58;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

class AddressesTest {

  private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

  private static String addressOf(BigInteger secret) {
    return Addresses.ethereumAddress(SECP256K1.getG().multiply(secret).normalize().getEncoded(false));
  }

  /** EIP-55's own test cases (all caps, all lower, mixed). */
  @ParameterizedTest
  @ValueSource(strings = {
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"
  })
  void checksumMatchesEip55Vectors(String address) {
    assertEquals(address, Addresses.checksum(address.substring(2)));
  }

  @Test
  void privateKeyOneHasTheWellKnownAddress() {
    assertEquals("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", addressOf(BigInteger.ONE));
  }

  @Test
  void addressesAgreeWithWeb3j() {
    SplittableRandom random = new SplittableRandom(2026);
    for (int i = 0; i < 50; i++) {
      BigInteger secret = new BigInteger(256, new java.util.Random(random.nextLong())).mod(SECP256K1.getN());
      if (secret.signum() == 0) {
        continue;
      }
      String web3j = Keys.toChecksumAddress(Keys.getAddress(ECKeyPair.create(secret)));
      assertEquals(web3j, addressOf(secret));
    }
  }

  @Test
  void keccakOfEmptyInputIsTheKnownDigest() {
    assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        HexFormat.of().formatHex(Addresses.keccak256(new byte[0])));
  }

  /**
   * A peer id in wide use (go-libp2p docs and tests): decoded, it is the identity multihash of the
   * protobuf PublicKey{Ed25519, key}; encoding that key again must give the same id.
   */
  @Test
  void peerIdOfAKnownEd25519KeyRoundTrips() {
    String known = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    byte[] multihash = Base58.decode(known);
    assertArrayEquals(new byte[] {0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, Arrays.copyOf(multihash, 6));
    assertEquals(known, Addresses.peerId(Arrays.copyOfRange(multihash, 6, 38)));
  }
}
