package org.powerverse.chain.internal;

import java.math.BigInteger;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A point of edwards25519 in extended homogeneous coordinates (RFC 8032 §5.1.4): x = X/Z,
 * y = Y/Z, x·y = T/Z, on -x² + y² = 1 + d·x²·y².
 *
 * <p>Bouncy Castle's public API has the field arithmetic ({@link X25519Field}, 10 limbs of 25/26
 * bits) and Ed25519 signatures, but not the point operations a VRF needs (decoding without the
 * prime-order check, addition, scalar multiplication by arbitrary points). They are written here
 * with RFC 8032's formulas over BC's field: the unified addition of §5.1.4 (complete on this
 * curve, since a = -1 is a square and d is not, so identity and doubling need no special case)
 * and its doubling formula.
 *
 * <p>Limb bounds: BC's {@code mul}/{@code sqr} accept inputs that are a sum or difference of two
 * reduced values; anything larger is {@code carry}'d first (the same discipline as BC's own
 * Ed25519 code).
 */
final class EdwardsPoint {

  static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

  /** d = -121665/121666 mod p (RFC 8032 §5.1). */
  private static final int[] D = fieldOf(
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P));

  private static final int[] D2 = fieldOf(
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P))
          .shiftLeft(1).mod(P));

  private static final int[] ONE = fieldOf(BigInteger.ONE);

  /** RFC 8032 §5.1: B = (x, 4/5) with x positive; its standard encoding. */
  static final byte[] BASE_ENCODED = java.util.HexFormat.of()
      .parseHex("5866666666666666666666666666666666666666666666666666666666666666");

  final int[] x = X25519Field.create();
  final int[] y = X25519Field.create();
  final int[] z = X25519Field.create();
  final int[] t = X25519Field.create();

  private EdwardsPoint() {}

  static EdwardsPoint identity() {
    EdwardsPoint r = new EdwardsPoint();
    X25519Field.one(r.y);
    X25519Field.one(r.z);
    return r;
  }

  EdwardsPoint copy() {
    EdwardsPoint r = new EdwardsPoint();
    r.set(this);
    return r;
  }

  void set(EdwardsPoint p) {
    X25519Field.copy(p.x, 0, x, 0);
    X25519Field.copy(p.y, 0, y, 0);
    X25519Field.copy(p.z, 0, z, 0);
    X25519Field.copy(p.t, 0, t, 0);
  }

  EdwardsPoint negate() {
    EdwardsPoint r = copy();
    X25519Field.negate(r.x, r.x);
    X25519Field.negate(r.t, r.t);
    return r;
  }

  /**
   * RFC 8032 §5.1.3 decoding, as RFC 9381 §5.5 prescribes for string_to_point: rejects a
   * y-coordinate ≥ p (non-canonical), an x² with no square root (not on the curve), and the
   * non-canonical "negative zero" x. Returns null when the string is not a point.
   */
  static EdwardsPoint decode(byte[] encoded, int offset) {
    byte[] ys = java.util.Arrays.copyOfRange(encoded, offset, offset + 32);
    int sign = (ys[31] >>> 7) & 1;
    ys[31] &= 0x7F;
    if (!isCanonicalFieldElement(ys)) {
      return null;
    }
    EdwardsPoint r = new EdwardsPoint();
    X25519Field.decode(ys, 0, r.y);
    int[] u = X25519Field.create();
    int[] v = X25519Field.create();
    // x² = (y² - 1) / (d·y² + 1)
    X25519Field.sqr(r.y, u);
    X25519Field.mul(D, u, v);
    X25519Field.subOne(u);
    X25519Field.addOne(v);
    if (!X25519Field.sqrtRatioVar(u, v, r.x)) {
      return null;
    }
    X25519Field.normalize(r.x);
    if (sign == 1 && X25519Field.isZeroVar(r.x)) {
      return null;
    }
    if (sign != (r.x[0] & 1)) {
      X25519Field.negate(r.x, r.x);
    }
    X25519Field.one(r.z);
    X25519Field.mul(r.x, r.y, r.t);
    return r;
  }

  /** RFC 8032 §5.1.2 encoding: y little-endian with the low bit of x in the top bit. */
  byte[] encode() {
    int[] zInv = X25519Field.create();
    int[] ax = X25519Field.create();
    int[] ay = X25519Field.create();
    X25519Field.inv(z, zInv);
    X25519Field.mul(x, zInv, ax);
    X25519Field.mul(y, zInv, ay);
    X25519Field.normalize(ax);
    X25519Field.normalize(ay);
    byte[] out = new byte[32];
    X25519Field.encode(ay, out, 0);
    out[31] |= (byte) ((ax[0] & 1) << 7);
    return out;
  }

  boolean isIdentity() {
    int[] yMinusZ = X25519Field.create();
    X25519Field.sub(y, z, yMinusZ);
    return isZero(x) && isZero(yMinusZ);
  }

  /** Whether the two points are equal: X1·Z2 = X2·Z1 and Y1·Z2 = Y2·Z1. */
  boolean sameAs(EdwardsPoint q) {
    int[] a = X25519Field.create();
    int[] b = X25519Field.create();
    X25519Field.mul(x, q.z, a);
    X25519Field.mul(q.x, z, b);
    X25519Field.sub(a, b, a);
    if (!isZero(a)) {
      return false;
    }
    X25519Field.mul(y, q.z, a);
    X25519Field.mul(q.y, z, b);
    X25519Field.sub(a, b, a);
    return isZero(a);
  }

  /** RFC 8032 §5.1.4 doubling, in place. */
  EdwardsPoint doubleInPlace() {
    int[] a = X25519Field.create();
    int[] b = X25519Field.create();
    int[] c = X25519Field.create();
    int[] e = X25519Field.create();
    int[] f = X25519Field.create();
    int[] g = X25519Field.create();
    int[] h = X25519Field.create();
    X25519Field.sqr(x, a);
    X25519Field.sqr(y, b);
    X25519Field.sqr(z, c);
    X25519Field.add(c, c, c);
    X25519Field.apm(a, b, h, g);
    X25519Field.add(x, y, e);
    X25519Field.sqr(e, e);
    X25519Field.sub(h, e, e);
    X25519Field.carry(e);
    X25519Field.add(c, g, f);
    X25519Field.carry(f);
    X25519Field.mul(e, f, x);
    X25519Field.mul(g, h, y);
    X25519Field.mul(e, h, t);
    X25519Field.mul(f, g, z);
    return this;
  }

  /** Adds q (or subtracts it, when {@code negate}) in place: RFC 8032 §5.1.4 addition. */
  EdwardsPoint addInPlace(Cached q, boolean negate) {
    int[] a = X25519Field.create();
    int[] b = X25519Field.create();
    int[] c = X25519Field.create();
    int[] d = X25519Field.create();
    int[] e = X25519Field.create();
    int[] f = X25519Field.create();
    int[] g = X25519Field.create();
    int[] h = X25519Field.create();
    X25519Field.apm(y, x, b, a);
    // -(x2, y2) = (-x2, y2): (y2 + x2) and (y2 - x2) swap, and T2 changes sign.
    X25519Field.mul(a, negate ? q.yPlusX : q.yMinusX, a);
    X25519Field.mul(b, negate ? q.yMinusX : q.yPlusX, b);
    X25519Field.mul(t, q.t2d, c);
    X25519Field.mul(z, q.z2, d);
    X25519Field.apm(b, a, h, e);
    if (negate) {
      X25519Field.apm(d, c, f, g);
    } else {
      X25519Field.apm(d, c, g, f);
    }
    X25519Field.mul(e, f, x);
    X25519Field.mul(g, h, y);
    X25519Field.mul(e, h, t);
    X25519Field.mul(f, g, z);
    return this;
  }

  EdwardsPoint addInPlace(EdwardsPoint q) {
    return addInPlace(new Cached(q), false);
  }

  /** 8·P: clears the cofactor (RFC 9381 §5.4.1.1 step 5D, §5.2, §5.4.5). */
  EdwardsPoint timesCofactor() {
    return copy().doubleInPlace().doubleInPlace().doubleInPlace();
  }

  /**
   * k·P in constant time for a secret scalar: 4-bit fixed windows, every table entry read by a
   * masked move, one addition per window whatever the digit. {@code scalar} is 32 bytes
   * little-endian.
   */
  EdwardsPoint multiply(byte[] scalar) {
    Cached[] table = multiplesTable(this);
    EdwardsPoint acc = identity();
    Cached selected = new Cached();
    for (int i = 63; i >= 0; i--) {
      acc.doubleInPlace().doubleInPlace().doubleInPlace().doubleInPlace();
      selected.selectConstantTime(table, nibble(scalar, i));
      acc.addInPlace(selected, false);
    }
    return acc;
  }

  /** k·B for a secret k, from the precomputed base tables: 64 additions, constant time. */
  static EdwardsPoint multiplyBase(byte[] scalar) {
    Cached[][] tables = BaseTables.TABLES;
    EdwardsPoint acc = identity();
    Cached selected = new Cached();
    for (int i = 0; i < 64; i++) {
      selected.selectConstantTime(tables[i], nibble(scalar, i));
      acc.addInPlace(selected, false);
    }
    return acc;
  }

  /**
   * a·B - b·Q, variable time (public scalars only, as in verification): the base part from the
   * precomputed tables, the rest by 4-bit windows.
   */
  static EdwardsPoint baseMinusVar(byte[] a, byte[] b, EdwardsPoint q) {
    EdwardsPoint acc = multiplyVar(b, q);
    Cached[][] tables = BaseTables.TABLES;
    EdwardsPoint result = identity();
    for (int i = 0; i < 64; i++) {
      int digit = nibble(a, i);
      if (digit != 0) {
        result.addInPlace(tables[i][digit], false);
      }
    }
    return result.addInPlace(new Cached(acc), true);
  }

  /** a·P - b·Q, variable time (public scalars only): interleaved 4-bit windows (Straus). */
  static EdwardsPoint doubleMultiplyMinusVar(byte[] a, EdwardsPoint p, byte[] b, EdwardsPoint q) {
    Cached[] tableP = multiplesTable(p);
    Cached[] tableQ = multiplesTable(q);
    EdwardsPoint acc = identity();
    for (int i = 63; i >= 0; i--) {
      acc.doubleInPlace().doubleInPlace().doubleInPlace().doubleInPlace();
      int da = nibble(a, i);
      int db = nibble(b, i);
      if (da != 0) {
        acc.addInPlace(tableP[da], false);
      }
      if (db != 0) {
        acc.addInPlace(tableQ[db], true);
      }
    }
    return acc;
  }

  private static EdwardsPoint multiplyVar(byte[] scalar, EdwardsPoint p) {
    Cached[] table = multiplesTable(p);
    EdwardsPoint acc = identity();
    boolean started = false;
    for (int i = 63; i >= 0; i--) {
      int digit = nibble(scalar, i);
      if (started) {
        acc.doubleInPlace().doubleInPlace().doubleInPlace().doubleInPlace();
      }
      if (digit != 0) {
        acc.addInPlace(table[digit], false);
        started = true;
      }
    }
    return acc;
  }

  /** 0·P .. 15·P. */
  private static Cached[] multiplesTable(EdwardsPoint p) {
    Cached[] table = new Cached[16];
    EdwardsPoint acc = identity();
    Cached cachedP = new Cached(p);
    table[0] = new Cached(acc);
    for (int i = 1; i < 16; i++) {
      acc.addInPlace(cachedP, false);
      table[i] = new Cached(acc);
    }
    return table;
  }

  private static int nibble(byte[] scalar, int index) {
    return (scalar[index >>> 1] >>> ((index & 1) << 2)) & 0x0F;
  }

  private static boolean isZero(int[] value) {
    int[] reduced = X25519Field.create();
    X25519Field.mul(value, ONE, reduced);
    X25519Field.normalize(reduced);
    return X25519Field.isZeroVar(reduced);
  }

  private static boolean isCanonicalFieldElement(byte[] littleEndian) {
    return new BigInteger(1, reverse(littleEndian)).compareTo(P) < 0;
  }

  static int[] fieldOf(BigInteger value) {
    int[] r = X25519Field.create();
    X25519Field.decode(reverse(toBytes32(value)), 0, r);
    return r;
  }

  static byte[] reverse(byte[] bytes) {
    byte[] r = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      r[i] = bytes[bytes.length - 1 - i];
    }
    return r;
  }

  private static byte[] toBytes32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, out, 32 - copy, copy);
    return out;
  }

  /**
   * A point prepared for addition: (y + x, y - x, 2·d·t, 2·z), each carried so the addition's
   * products stay within BC's limb bounds.
   */
  static final class Cached {
    final int[] yPlusX = X25519Field.create();
    final int[] yMinusX = X25519Field.create();
    final int[] t2d = X25519Field.create();
    final int[] z2 = X25519Field.create();

    Cached() {}

    Cached(EdwardsPoint p) {
      X25519Field.apm(p.y, p.x, yPlusX, yMinusX);
      X25519Field.carry(yPlusX);
      X25519Field.carry(yMinusX);
      X25519Field.mul(p.t, D2, t2d);
      X25519Field.add(p.z, p.z, z2);
      X25519Field.carry(z2);
    }

    void selectConstantTime(Cached[] table, int index) {
      for (int k = 0; k < table.length; k++) {
        int mask = ((index ^ k) - 1) >> 31;
        X25519Field.cmov(mask, table[k].yPlusX, 0, yPlusX, 0);
        X25519Field.cmov(mask, table[k].yMinusX, 0, yMinusX, 0);
        X25519Field.cmov(mask, table[k].t2d, 0, t2d, 0);
        X25519Field.cmov(mask, table[k].z2, 0, z2, 0);
      }
    }
  }

  /** d·16^i·B for every window position i and digit d, built once (about 150 KiB). */
  private static final class BaseTables {
    static final Cached[][] TABLES = build();

    private static Cached[][] build() {
      EdwardsPoint base = decode(BASE_ENCODED, 0);
      Cached[][] tables = new Cached[64][];
      EdwardsPoint windowBase = base.copy();
      for (int i = 0; i < 64; i++) {
        tables[i] = multiplesTable(windowBase);
        windowBase.doubleInPlace().doubleInPlace().doubleInPlace().doubleInPlace();
      }
      return tables;
    }
  }
}
