package org.powerverse.chain.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The whitepaper's sortition walk: with p = τ/W and r = hash / 2^hashlen, the j such that r lies
 * in [CDF(j-1), CDF(j)) of the binomial B(k; w, p), CDF(-1) = 0 (go-algorand's reading of the
 * whitepaper's intervals). j = 0 means not selected.
 *
 * <p>The answer is exact, the same as comparing the rationals r and CDF(j), in three layers:
 *
 * <ol>
 *   <li>doubles, in log space (no underflow for large w·p), carrying a rigorous running bound on
 *       their rounding error; it answers whenever r is farther than that bound from CDF(j-1) and
 *       CDF(j), which is all but about one call in 10^9;
 *   <li>otherwise BigDecimal interval arithmetic (directed rounding, every bound an enclosure)
 *       at 40, then 160, then 640 digits;
 *   <li>otherwise (r equal to a boundary, or within 10^-600 of it) exact BigInteger rationals.
 * </ol>
 */
public final class BinomialSortition {

  /** The walk compares this many bits of the VRF output: hashlen (RFC 9381 beta is 64 bytes). */
  public static final int HASH_BITS = 512;

  private static final double EPS = 0x1p-52;
  private static final int[] PRECISIONS = {40, 160, 640};

  private BinomialSortition() {}

  /**
   * The sub-user count j for an output hash (big-endian unsigned, {@code hashBits} bits).
   *
   * @param hash the VRF output as an unsigned integer below 2^hashBits
   * @param weight w, the node's stake weight, 0 ≤ w ≤ W
   * @param totalWeight W, the total weight, ≥ 1
   * @param tau τ, the expected number of selected sub-users, 1 ≤ τ ≤ W
   */
  public static long subUsers(BigInteger hash, int hashBits, long weight, long totalWeight, long tau) {
    checkArguments(hash, hashBits, weight, totalWeight, tau);
    if (weight == 0) {
      return 0;
    }
    if (tau == totalWeight) {
      return weight; // p = 1: all of B(k; w, 1) sits on k = w.
    }
    long fast = subUsersDouble(hash, hashBits, weight, totalWeight, tau);
    if (fast >= 0) {
      return fast;
    }
    return subUsersCertified(hash, hashBits, weight, totalWeight, tau);
  }

  static void checkArguments(BigInteger hash, int hashBits, long weight, long totalWeight, long tau) {
    if (hash.signum() < 0 || hash.bitLength() > hashBits) {
      throw new IllegalArgumentException("hash must be in [0, 2^" + hashBits + "), got " + hash.toString(16));
    }
    if (totalWeight < 1) {
      throw new IllegalArgumentException("total weight must be at least 1, got " + totalWeight);
    }
    if (weight < 0 || weight > totalWeight) {
      throw new IllegalArgumentException(
          "weight must be between 0 and the total weight " + totalWeight + ", got " + weight);
    }
    if (tau < 1 || tau > totalWeight) {
      throw new IllegalArgumentException(
          "tau must be between 1 and the total weight " + totalWeight + ", got " + tau);
    }
  }

  /**
   * Layer 1: the walk in doubles, or -1 when r comes closer to a boundary than the error bound.
   * Requires 1 ≤ w, 1 ≤ τ < W.
   */
  static long subUsersDouble(BigInteger hash, int hashBits, long w, long totalWeight, long tau) {
    // r lies in [rLow, rLow + 2^-53): the top 53 bits of the hash, exactly.
    double rLow = hash.shiftRight(Math.max(0, hashBits - 53)).doubleValue()
        * Math.scalb(1.0, -Math.min(53, hashBits));
    double rHigh = rLow + Math.scalb(1.0, -Math.min(53, hashBits));

    double wD = w;
    double p = (double) tau / totalWeight;
    long rest = totalWeight - tau;
    // log q, q = 1 - p: log1p is accurate while p is small; otherwise q = rest/W is.
    double logQ = p <= 0.5 ? Math.log1p(-p) : Math.log((double) rest / totalWeight);
    double errLogQ = 4 * EPS * Math.abs(logQ) + 4 * EPS;
    // log(p / q) = log τ - log(W - τ), from exact integers.
    double logTau = Math.log(tau);
    double logRest = Math.log(rest);
    double logRatio = logTau - logRest;
    double errLogRatio = 2 * EPS * (Math.abs(logTau) + Math.abs(logRest) + 2) + EPS * Math.abs(logRatio);

    double logPmf = wD * logQ;
    double errLogPmf = wD * errLogQ + 2 * EPS * Math.abs(logPmf);
    double cdf = 0;
    double errCdf = 0;
    for (long j = 0; ; j++) {
      double pmf = Math.exp(logPmf);
      // exp's own ulp, and the relative error e^err - 1 of the log, bounded by 2·err for err ≤ 1.
      if (errLogPmf > 1e-3) {
        return -1;
      }
      cdf += pmf;
      errCdf += pmf * (2 * errLogPmf + 2 * EPS) + Double.MIN_NORMAL;
      double margin = 2 * (errCdf + (j + 2) * EPS * cdf) + Double.MIN_NORMAL;
      if (rHigh <= cdf - margin) {
        return j;
      }
      if (rLow < cdf + margin) {
        return -1;
      }
      if (j + 1 == w) {
        return w; // r ≥ CDF(w-1), and r < 1 = CDF(w).
      }
      double step = Math.log((double) (w - j) / (j + 1));
      logPmf += step + logRatio;
      errLogPmf += errLogRatio + EPS * (Math.abs(step) + 1)
          + 2 * EPS * (Math.abs(logPmf) + Math.abs(step) + Math.abs(logRatio));
    }
  }

  /** Layers 2 and 3. Requires 1 ≤ w, 1 ≤ τ < W. */
  static long subUsersCertified(BigInteger hash, int hashBits, long w, long totalWeight, long tau) {
    BigDecimal r = new BigDecimal(hash).multiply(BigDecimal.valueOf(5).pow(hashBits))
        .movePointLeft(hashBits);
    for (int digits : PRECISIONS) {
      long j = subUsersInterval(r, w, totalWeight, tau, digits);
      if (j >= 0) {
        return j;
      }
    }
    return subUsersExact(hash, hashBits, w, totalWeight, tau);
  }

  /**
   * Layer 2: the walk over enclosures [lo, hi] of every PMF and CDF value (all positive, so
   * rounding lo down and hi up keeps them enclosures), or -1 when r falls inside one.
   */
  static long subUsersInterval(BigDecimal r, long w, long totalWeight, long tau, int digits) {
    MathContext down = new MathContext(digits, RoundingMode.FLOOR);
    MathContext up = new MathContext(digits, RoundingMode.CEILING);
    BigDecimal total = BigDecimal.valueOf(totalWeight);
    BigDecimal rest = BigDecimal.valueOf(totalWeight - tau);
    BigDecimal pmfLo = power(rest.divide(total, down), w, down);
    BigDecimal pmfHi = power(rest.divide(total, up), w, up);
    BigDecimal cdfLo = BigDecimal.ZERO;
    BigDecimal cdfHi = BigDecimal.ZERO;
    BigInteger tauBig = BigInteger.valueOf(tau);
    BigInteger restBig = BigInteger.valueOf(totalWeight - tau);
    for (long j = 0; ; j++) {
      cdfLo = cdfLo.add(pmfLo, down);
      cdfHi = cdfHi.add(pmfHi, up);
      if (r.compareTo(cdfLo) < 0) {
        return j;
      }
      if (r.compareTo(cdfHi) < 0) {
        return -1;
      }
      if (j + 1 == w) {
        return w;
      }
      // B(j+1) = B(j) · (w - j)/(j + 1) · τ/(W - τ)
      BigDecimal numerator = new BigDecimal(BigInteger.valueOf(w - j).multiply(tauBig));
      BigDecimal denominator = new BigDecimal(BigInteger.valueOf(j + 1).multiply(restBig));
      pmfLo = pmfLo.multiply(numerator).divide(denominator, down);
      pmfHi = pmfHi.multiply(numerator).divide(denominator, up);
    }
  }

  /** base^exponent by squaring, every product rounded the way {@code mc} says. */
  private static BigDecimal power(BigDecimal base, long exponent, MathContext mc) {
    BigDecimal result = BigDecimal.ONE;
    BigDecimal square = base;
    long e = exponent;
    while (e > 0) {
      if ((e & 1) != 0) {
        result = result.multiply(square, mc);
      }
      e >>>= 1;
      if (e > 0) {
        square = square.multiply(square, mc);
      }
    }
    return result;
  }

  /**
   * Layer 3: r < CDF(j) ⟺ hash · W^w < 2^hashBits · Σ_{k≤j} C(w,k) τ^k (W-τ)^(w-k), in
   * integers. Costly for large w (numbers of w·log2 W bits), and reached only at or next to a
   * boundary.
   */
  static long subUsersExact(BigInteger hash, int hashBits, long w, long totalWeight, long tau) {
    int exponent = Math.toIntExact(w);
    BigInteger left = hash.multiply(BigInteger.valueOf(totalWeight).pow(exponent));
    BigInteger restBig = BigInteger.valueOf(totalWeight - tau);
    BigInteger tauBig = BigInteger.valueOf(tau);
    BigInteger term = restBig.pow(exponent); // k = 0: (W-τ)^w
    BigInteger sum = BigInteger.ZERO;
    for (long j = 0; ; j++) {
      sum = sum.add(term);
      if (left.compareTo(sum.shiftLeft(hashBits)) < 0) {
        return j;
      }
      if (j + 1 == w) {
        return w;
      }
      // Exact: term(j+1) = C(w, j+1) τ^(j+1) (W-τ)^(w-j-1) is an integer.
      term = term.multiply(BigInteger.valueOf(w - j)).multiply(tauBig)
          .divide(BigInteger.valueOf(j + 1).multiply(restBig));
    }
  }
}
