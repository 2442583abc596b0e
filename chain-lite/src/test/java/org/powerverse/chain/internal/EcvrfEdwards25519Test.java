package org.powerverse.chain.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.powerverse.chain.TestVectors;

class EcvrfEdwards25519Test {

  static final BigInteger L = EcvrfEdwards25519.ORDER;

  static List<TestVectors.Record> rfcVectors() {
    return TestVectors.read("/vrf/rfc9381-b3-edwards25519-sha512-tai.txt");
  }

  static List<TestVectors.Record> smallOrderPoints() {
    return TestVectors.read("/vrf/small-order-points.txt");
  }

  @ParameterizedTest
  @MethodSource("rfcVectors")
  void matchesRfcIntermediateValues(TestVectors.Record v) {
    EcvrfEdwards25519.Key key = EcvrfEdwards25519.Key.expand(v.hex("SK"));
    // int_to_string(x): the clamped scalar's little-endian bytes.
    assertArrayEquals(v.hex("x"), key.scalar(), "x");
    EdwardsPoint h = EcvrfEdwards25519.encodeToCurve(v.hex("PK"), v.hex("alpha"));
    assertArrayEquals(v.hex("H"), h.encode(), "H");
    byte[] k = EcvrfEdwards25519.scalarBytes(EcvrfEdwards25519.nonce(key.noncePrefix(), h.encode()));
    assertArrayEquals(v.hex("U"), EdwardsPoint.multiplyBase(k).encode(), "U = k*B");
    assertArrayEquals(v.hex("V"), h.multiply(k).encode(), "V = k*H");
  }

  @ParameterizedTest
  @MethodSource("smallOrderPoints")
  void smallOrderPointsAreOnTheCurveAndVanishTimesCofactor(TestVectors.Record point) {
    EdwardsPoint p = EdwardsPoint.decode(point.hex("P"), 0);
    assertNotNull(p, "decodes");
    assertArrayEquals(point.hex("P"), p.encode(), "canonical");
    assertTrue(p.timesCofactor().isIdentity());
    int order = Integer.parseInt(point.text("order"));
    EdwardsPoint multiple = p.copy();
    for (int i = 1; i < order; i++) {
      assertFalse(multiple.isIdentity(), "order is not below " + order);
      multiple.addInPlace(p);
    }
    assertTrue(multiple.isIdentity(), "order " + order);
    assertNull(EcvrfEdwards25519.validateKey(point.hex("P")));
  }

  @Test
  void keyValidationIsWhatStopsTheIdentityKeyForgery() {
    // With Y = identity and Gamma = identity (x = 0), s = k passes both equations of §5.3 for
    // any alpha: U = s*B - c*Y = k*B and V = s*H - c*Gamma = k*H. The output would be the same
    // constant for every input. Only validate_key (§5.4.5) rejects it.
    byte[] identity = EdwardsPoint.identity().encode();
    byte[] alpha = "any input".getBytes();
    EdwardsPoint h = EcvrfEdwards25519.encodeToCurve(identity, alpha);
    byte[] k = EcvrfEdwards25519.scalarBytes(BigInteger.valueOf(123456789));
    byte[] gamma = EdwardsPoint.identity().encode();
    byte[] c = EcvrfEdwards25519.challenge(identity, h.encode(), gamma,
        EdwardsPoint.multiplyBase(k).encode(), h.multiply(k).encode());
    byte[] pi = new byte[80];
    System.arraycopy(gamma, 0, pi, 0, 32);
    System.arraycopy(c, 0, pi, 32, 16);
    System.arraycopy(k, 0, pi, 48, 32);
    byte[] c32 = Arrays.copyOf(c, 32);
    EdwardsPoint y = EdwardsPoint.decode(identity, 0);
    EdwardsPoint u = EdwardsPoint.baseMinusVar(k, c32, y);
    EdwardsPoint v = EdwardsPoint.doubleMultiplyMinusVar(k, h, c32, EdwardsPoint.identity());
    assertArrayEquals(c, EcvrfEdwards25519.challenge(identity, h.encode(), gamma, u.encode(),
        v.encode()), "the forged proof satisfies the verification equations");
    assertTrue(EcvrfEdwards25519.verify(identity, alpha, pi).isEmpty());
  }

  @Test
  void decodeRejectsNonCanonicalEncodings() {
    HexFormat hex = HexFormat.of();
    assertNotNull(EdwardsPoint.decode(hex.parseHex(
        "0100000000000000000000000000000000000000000000000000000000000000"), 0));
    // y = p + 1: the identity's y, not reduced.
    assertNull(EdwardsPoint.decode(hex.parseHex(
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"), 0));
    // x = 0 with the sign bit set ("negative zero").
    assertNull(EdwardsPoint.decode(hex.parseHex(
        "0100000000000000000000000000000000000000000000000000000000000080"), 0));
    assertNull(EdwardsPoint.decode(hex.parseHex(
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"), 0));
  }

  @Test
  void groupOrderTimesBaseIsIdentity() {
    EdwardsPoint base = EdwardsPoint.decode(EdwardsPoint.BASE_ENCODED, 0);
    assertTrue(EdwardsPoint.multiplyBase(EcvrfEdwards25519.scalarBytes(L)).isIdentity());
    assertTrue(base.multiply(EcvrfEdwards25519.scalarBytes(L)).isIdentity());
    EdwardsPoint almost = EdwardsPoint.multiplyBase(
        EcvrfEdwards25519.scalarBytes(L.subtract(BigInteger.ONE)));
    assertTrue(almost.sameAs(base.negate()));
  }

  @Test
  void scalarMultiplicationsAgree() {
    SplittableRandom random = new SplittableRandom(7);
    EdwardsPoint base = EdwardsPoint.decode(EdwardsPoint.BASE_ENCODED, 0);
    for (int i = 0; i < 20; i++) {
      byte[] a = randomScalar(random);
      byte[] b = randomScalar(random);
      EdwardsPoint q = EdwardsPoint.multiplyBase(randomScalar(random));
      EdwardsPoint aq = q.multiply(a);
      EdwardsPoint bq = q.multiply(b);
      assertTrue(EdwardsPoint.multiplyBase(a).sameAs(base.multiply(a)), "fixed base");
      // a*Q - b*Q = (a - b)*Q
      BigInteger diff = EcvrfEdwards25519.littleEndian(a)
          .subtract(EcvrfEdwards25519.littleEndian(b)).mod(L);
      EdwardsPoint expected = q.multiply(EcvrfEdwards25519.scalarBytes(diff));
      assertTrue(EdwardsPoint.doubleMultiplyMinusVar(a, q, b, q).sameAs(expected), "Straus");
      assertTrue(aq.copy().addInPlace(bq.negate()).sameAs(expected), "subtraction");
      EdwardsPoint expectedBase = EdwardsPoint.multiplyBase(a).addInPlace(bq.negate());
      assertTrue(EdwardsPoint.baseMinusVar(a, b, q).sameAs(expectedBase), "base minus");
      assertTrue(aq.copy().addInPlace(aq).sameAs(aq.copy().doubleInPlace()), "doubling");
      assertArrayEquals(aq.encode(), EdwardsPoint.decode(aq.encode(), 0).encode(), "round trip");
    }
  }

  private static byte[] randomScalar(SplittableRandom random) {
    byte[] bytes = new byte[64];
    random.nextBytes(bytes);
    return EcvrfEdwards25519.scalarBytes(EcvrfEdwards25519.littleEndian(bytes).mod(L));
  }
}
