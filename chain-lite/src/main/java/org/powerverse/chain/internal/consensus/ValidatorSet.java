package org.powerverse.chain.internal.consensus;

import java.util.Collection;
import java.util.List;

/**
 * The validators of a height and their voting weights (stake). Quorums are by weight: more than
 * 2/3 of the total decides, more than 1/3 contains an honest validator when byzantine weight is
 * below 1/3.
 */
public record ValidatorSet(List<Long> weights) {

  public ValidatorSet {
    weights = List.copyOf(weights);
    if (weights.isEmpty()) {
      throw new IllegalArgumentException("a validator set has at least one validator");
    }
    for (int i = 0; i < weights.size(); i++) {
      if (weights.get(i) <= 0) {
        throw new IllegalArgumentException("validator " + i + " has weight " + weights.get(i) + ", not > 0");
      }
    }
  }

  public int size() {
    return weights.size();
  }

  public boolean contains(int validator) {
    return validator >= 0 && validator < weights.size();
  }

  public long weight(int validator) {
    return weights.get(validator);
  }

  public long total() {
    return weights.stream().mapToLong(Long::longValue).sum();
  }

  public long weightOf(Collection<Integer> validators) {
    long sum = 0;
    for (int v : validators) {
      sum += weights.get(v);
    }
    return sum;
  }

  /** More than 2/3 of the total weight: 3·w > 2·W. */
  public boolean isQuorum(long weight) {
    return 3 * weight > 2 * total();
  }

  /** More than 1/3 of the total weight: at least one honest validator among them. */
  public boolean exceedsOneThird(long weight) {
    return 3 * weight > total();
  }
}
