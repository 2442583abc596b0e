package org.powerverse.chain.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The test oracle: the sortition interval boundaries as exact integers. With N_j = Σ_{k≤j}
 * C(w,k) τ^k (W-τ)^(w-k), CDF(j) = N_j / W^w, and for an integer hash h below 2^bits,
 * h / 2^bits < CDF(j) ⟺ h < c_j with c_j = ceil(2^bits · N_j / W^w). So j(h) = min { j : h < c_j }.
 * Written apart from the code under test, from the definition, in BigInteger only.
 */
final class ExactBinomialOracle {

  private final long w;
  private final long tau;
  private final long rest;
  private final int bits;
  private final BigInteger denominator;
  private final int denominatorShift; // W^w = 2^shift when W is a power of two, else -1
  private final List<BigInteger> boundaries = new ArrayList<>();
  private BigInteger term;
  private BigInteger sum = BigInteger.ZERO;

  ExactBinomialOracle(long w, long totalWeight, long tau, int bits) {
    this.w = w;
    this.tau = tau;
    this.rest = totalWeight - tau;
    this.bits = bits;
    int exponent = Math.toIntExact(w);
    if (Long.bitCount(totalWeight) == 1) {
      denominatorShift = Math.multiplyExact(Long.numberOfTrailingZeros(totalWeight), exponent);
      denominator = BigInteger.ONE.shiftLeft(denominatorShift);
    } else {
      denominatorShift = -1;
      denominator = BigInteger.valueOf(totalWeight).pow(exponent);
    }
    term = BigInteger.valueOf(rest).pow(exponent);
  }

  /** c_j = ceil(2^bits · N_j / W^w). */
  BigInteger boundary(long j) {
    while (boundaries.size() <= j) {
      long k = boundaries.size();
      if (k > 0) {
        // C(w,k) τ^k (W-τ)^(w-k) from its predecessor; the division is exact.
        term = term.multiply(BigInteger.valueOf(w - k + 1)).multiply(BigInteger.valueOf(tau))
            .divide(BigInteger.valueOf(k).multiply(BigInteger.valueOf(rest)));
      }
      sum = sum.add(term);
      boundaries.add(ceilDivide(sum.shiftLeft(bits)));
    }
    return boundaries.get((int) j);
  }

  long subUsers(BigInteger hash) {
    for (long j = 0; j < w; j++) {
      if (hash.compareTo(boundary(j)) < 0) {
        return j;
      }
    }
    return w;
  }

  private BigInteger ceilDivide(BigInteger numerator) {
    if (denominatorShift >= 0) {
      return numerator.add(denominator).subtract(BigInteger.ONE).shiftRight(denominatorShift);
    }
    // Estimate from the leading bits, then settle exactly: c·D ≥ X > (c-1)·D.
    int drop = Math.max(0, denominator.bitLength() - 1200);
    BigInteger estimate = numerator.shiftRight(drop).divide(denominator.shiftRight(drop));
    BigInteger c = estimate.subtract(BigInteger.valueOf(4)).max(BigInteger.ZERO);
    BigInteger product = c.multiply(denominator);
    while (product.compareTo(numerator) < 0) {
      c = c.add(BigInteger.ONE);
      product = product.add(denominator);
    }
    if (c.signum() > 0 && product.subtract(denominator).compareTo(numerator) >= 0) {
      throw new AssertionError("estimate too high: " + c);
    }
    return c;
  }
}
