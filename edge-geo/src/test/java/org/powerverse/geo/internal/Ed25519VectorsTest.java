package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.TestIdentity;

/** RFC 8032 §7.1 vectors for the signature layer (src/test/resources/rfc8032/ed25519-vectors.txt). */
class Ed25519VectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  private static List<String[]> vectors() throws Exception {
    return Files.readAllLines(Path.of("src/test/resources/rfc8032/ed25519-vectors.txt")).stream()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("\\|", -1))
        .toList();
  }

  @Test
  void signaturesMatchTheRfcAndVerify() throws Exception {
    List<String[]> vectors = vectors();
    assertEquals(4, vectors.size());
    for (String[] v : vectors) {
      TestIdentity identity = TestIdentity.ofHex(v[1]);
      byte[] message = HEX.parseHex(v[3]);
      assertEquals(v[2], HEX.formatHex(identity.ed25519PublicKey()), v[0]);
      assertEquals(v[4], HEX.formatHex(identity.signEd25519(message)), v[0]);
      assertTrue(Ed25519.verify(HEX.parseHex(v[2]), message, HEX.parseHex(v[4])), v[0]);
    }
  }

  @Test
  void anyFlippedBitFailsVerification() throws Exception {
    for (String[] v : vectors()) {
      byte[] key = HEX.parseHex(v[2]);
      byte[] message = HEX.parseHex(v[3]);
      byte[] signature = HEX.parseHex(v[4]);
      for (int bit = 0; bit < 512; bit += 37) {
        byte[] bad = signature.clone();
        bad[bit / 8] ^= (byte) (1 << (bit % 8));
        assertFalse(Ed25519.verify(key, message, bad), v[0] + " bit " + bit);
      }
      byte[] longer = new byte[message.length + 1];
      System.arraycopy(message, 0, longer, 0, message.length);
      assertFalse(Ed25519.verify(key, longer, signature), v[0]);
    }
  }

  @Test
  void signatureWithScalarAboveTheGroupOrderIsRejected() throws Exception {
    // RFC 8032 §5.1.7: S must be below L; S + L would verify under a lax check (malleability).
    String[] v = vectors().get(0);
    byte[] signature = HEX.parseHex(v[4]);
    java.math.BigInteger order = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
    byte[] sLittle = java.util.Arrays.copyOfRange(signature, 32, 64);
    byte[] sBig = new byte[32];
    for (int i = 0; i < 32; i++) {
      sBig[i] = sLittle[31 - i];
    }
    java.math.BigInteger malleated = new java.math.BigInteger(1, sBig).add(order);
    byte[] mBig = malleated.toByteArray();
    byte[] mLittle = new byte[32];
    for (int i = 0; i < 32 && i < mBig.length; i++) {
      mLittle[i] = mBig[mBig.length - 1 - i];
    }
    byte[] bad = signature.clone();
    System.arraycopy(mLittle, 0, bad, 32, 32);
    assertFalse(Ed25519.verify(HEX.parseHex(v[2]), HEX.parseHex(v[3]), bad));
  }

  @Test
  void peerIdsMatchJsLibp2p() throws Exception {
    List<String[]> rows = Files.readAllLines(Path.of("src/test/resources/rfc8032/peer-ids.txt")).stream()
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .map(line -> line.split("\\|"))
        .toList();
    assertEquals(3, rows.size());
    for (String[] row : rows) {
      byte[] key = HEX.parseHex(row[0]);
      assertEquals(row[1], PeerIds.ofEd25519(key));
      assertArrayEquals(key, PeerIds.ed25519KeyOf(row[1]).orElseThrow());
    }
    assertTrue(PeerIds.ed25519KeyOf("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N").isEmpty(), "an RSA (sha256) peer id");
    assertTrue(PeerIds.ed25519KeyOf("12D3KooW0000").isEmpty(), "not base58");
  }
}
