package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EcvrfTest {

  static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
  static final BigInteger L = BigInteger.TWO.pow(252)
      .add(new BigInteger("27742317777372353535851937790883648493"));
  static final BigInteger D = BigInteger.valueOf(-121665)
      .multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);

  static List<TestVectors.Record> rfcVectors() {
    return TestVectors.read("/vrf/rfc9381-b3-edwards25519-sha512-tai.txt");
  }

  static List<TestVectors.Record> smallOrderPoints() {
    return TestVectors.read("/vrf/small-order-points.txt");
  }

  @ParameterizedTest
  @MethodSource("rfcVectors")
  void provesEveryRfc9381TaiVector(TestVectors.Record v) {
    assertArrayEquals(v.hex("PK"), Ecvrf.publicKey(v.hex("SK")), "public key");
    VrfResult result = Ecvrf.prove(v.hex("SK"), v.hex("alpha"));
    assertArrayEquals(v.hex("pi"), result.proof(), "pi");
    assertArrayEquals(v.hex("beta"), result.output(), "beta");
  }

  @ParameterizedTest
  @MethodSource("rfcVectors")
  void verifiesEveryRfc9381TaiVector(TestVectors.Record v) {
    byte[] beta = Ecvrf.verify(v.hex("PK"), v.hex("alpha"), v.hex("pi")).orElseThrow();
    assertArrayEquals(v.hex("beta"), beta);
    assertArrayEquals(v.hex("beta"), Ecvrf.proofToHash(v.hex("pi")));
  }

  @ParameterizedTest
  @MethodSource("rfcVectors")
  void rejectsEverySingleBitFlipOfTheProof(TestVectors.Record v) {
    byte[] pi = v.hex("pi");
    for (int bit = 0; bit < pi.length * 8; bit++) {
      byte[] flipped = pi.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertTrue(Ecvrf.verify(v.hex("PK"), v.hex("alpha"), flipped).isEmpty(), "bit " + bit);
    }
  }

  @ParameterizedTest
  @MethodSource("rfcVectors")
  void rejectsProofForAnotherAlphaOrKey(TestVectors.Record v) {
    byte[] otherAlpha = Arrays.copyOf(v.hex("alpha"), v.hex("alpha").length + 1);
    assertTrue(Ecvrf.verify(v.hex("PK"), otherAlpha, v.hex("pi")).isEmpty());
    byte[] otherKey = Ecvrf.publicKey(new byte[32]);
    assertTrue(Ecvrf.verify(otherKey, v.hex("alpha"), v.hex("pi")).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 32, 79, 81, 160})
  void rejectsProofOfWrongLength(int length) {
    TestVectors.Record v = rfcVectors().get(0);
    byte[] pi = Arrays.copyOf(v.hex("pi"), length);
    assertTrue(Ecvrf.verify(v.hex("PK"), v.hex("alpha"), pi).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Ecvrf.proofToHash(pi));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 33, 64})
  void rejectsPublicKeyOfWrongLength(int length) {
    TestVectors.Record v = rfcVectors().get(0);
    assertTrue(Ecvrf.verify(Arrays.copyOf(v.hex("PK"), length), v.hex("alpha"), v.hex("pi"))
        .isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Ecvrf.publicKey(new byte[length]));
  }

  @ParameterizedTest
  @MethodSource("rfcVectors")
  void rejectsScalarNotBelowGroupOrder(TestVectors.Record v) {
    byte[] pi = v.hex("pi");
    BigInteger s = littleEndian(Arrays.copyOfRange(pi, 48, 80));
    // s + L is the same scalar mod L: the equations of §5.3 would still hold, so only the
    // s < q check of §5.4.4 step 9 stands between it and a second valid proof (malleability).
    for (BigInteger bad : List.of(s.add(L), L, BigInteger.TWO.pow(256).subtract(BigInteger.ONE))) {
      byte[] forged = pi.clone();
      System.arraycopy(littleEndian32(bad), 0, forged, 48, 32);
      assertTrue(Ecvrf.verify(v.hex("PK"), v.hex("alpha"), forged).isEmpty(), bad.toString(16));
      assertThrows(IllegalArgumentException.class, () -> Ecvrf.proofToHash(forged));
    }
  }

  @ParameterizedTest
  @MethodSource("smallOrderPoints")
  void rejectsSmallOrderPublicKeys(TestVectors.Record point) {
    TestVectors.Record v = rfcVectors().get(1);
    assertTrue(Ecvrf.verify(point.hex("P"), v.hex("alpha"), v.hex("pi")).isEmpty());
  }

  @Test
  void rejectsPublicKeyAndGammaNotOnTheCurve() {
    byte[] notOnCurve = encodeY(firstYNotOnCurve(), false);
    TestVectors.Record v = rfcVectors().get(0);
    assertTrue(Ecvrf.verify(notOnCurve, v.hex("alpha"), v.hex("pi")).isEmpty());
    byte[] pi = v.hex("pi");
    System.arraycopy(notOnCurve, 0, pi, 0, 32);
    assertTrue(Ecvrf.verify(v.hex("PK"), v.hex("alpha"), pi).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> Ecvrf.proofToHash(pi));
  }

  @Test
  void rejectsNonCanonicalGammaEncodings() {
    byte[] pi = rfcVectors().get(0).hex("pi");
    // y = p + y0 for every y0 < 19 whose point exists, and "negative zero" x (sign bit on x = 0):
    // proof_to_hash would otherwise hash a point whose encoding is not the one in the proof.
    int tried = 0;
    for (int y0 = 0; y0 < 19; y0++) {
      if (!onCurve(BigInteger.valueOf(y0))) {
        continue;
      }
      byte[] canonical = encodeY(BigInteger.valueOf(y0), false);
      byte[] nonCanonical = encodeY(P.add(BigInteger.valueOf(y0)), false);
      System.arraycopy(canonical, 0, pi, 0, 32);
      Ecvrf.proofToHash(pi);
      System.arraycopy(nonCanonical, 0, pi, 0, 32);
      assertThrows(IllegalArgumentException.class, () -> Ecvrf.proofToHash(pi), "y = p + " + y0);
      tried++;
    }
    assertTrue(tried >= 2, "y = 0 and y = 1 are on the curve");
    System.arraycopy(encodeY(BigInteger.ONE, true), 0, pi, 0, 32);
    assertThrows(IllegalArgumentException.class, () -> Ecvrf.proofToHash(pi), "negative zero");
  }

  @Test
  void publicKeysMatchBouncyCastleEd25519() {
    SplittableRandom random = new SplittableRandom(9381);
    for (int i = 0; i < 64; i++) {
      byte[] sk = new byte[32];
      random.nextBytes(sk);
      byte[] expected = new byte[32];
      Ed25519.generatePublicKey(sk, 0, expected, 0);
      assertArrayEquals(expected, Ecvrf.publicKey(sk));
    }
  }

  @Test
  void provesAndVerifiesRandomKeysAndInputs() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 40; i++) {
      byte[] sk = new byte[32];
      random.nextBytes(sk);
      byte[] alpha = new byte[random.nextInt(100)];
      random.nextBytes(alpha);
      VrfResult result = Ecvrf.prove(sk, alpha);
      assertEquals(result, Ecvrf.prove(sk, alpha), "deterministic");
      byte[] beta = Ecvrf.verify(Ecvrf.publicKey(sk), alpha, result.proof()).orElseThrow();
      assertArrayEquals(result.output(), beta);
    }
  }

  // --- helpers, plain BigInteger arithmetic independent of the implementation ---

  static boolean onCurve(BigInteger y) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger x2 = y2.subtract(BigInteger.ONE)
        .multiply(D.multiply(y2).add(BigInteger.ONE).modInverse(P)).mod(P);
    return x2.signum() == 0 || x2.modPow(P.subtract(BigInteger.ONE).shiftRight(1), P)
        .equals(BigInteger.ONE);
  }

  static BigInteger firstYNotOnCurve() {
    BigInteger y = BigInteger.TWO;
    while (onCurve(y)) {
      y = y.add(BigInteger.ONE);
    }
    return y;
  }

  static byte[] encodeY(BigInteger y, boolean sign) {
    byte[] out = littleEndian32(y);
    if (sign) {
      out[31] |= (byte) 0x80;
    }
    return out;
  }

  static BigInteger littleEndian(byte[] bytes) {
    byte[] be = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      be[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  static byte[] littleEndian32(BigInteger value) {
    byte[] be = value.toByteArray();
    byte[] out = new byte[32];
    for (int i = 0; i < 32 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
