package org.powerverse.appliance.internal.provider;

import java.time.Instant;
import java.util.List;

/**
 * The whitepaper's score of the host (Market, computing power resource scoring): the sum over
 * parameters of value × weight, with each term shown so a provider sees why.
 *
 * @param benchmarkJobId the benchmark whose measurements were used; null if none has run
 */
public record HostScore(double score, List<Parameter> parameters, String benchmarkJobId, Instant computedAt) {

  /**
   * @param source where the value came from (inventory, benchmark, config, GPU table)
   * @param note why a value is zero or estimated, and what to do about it
   */
  public record Parameter(String name, double value, String unit, double weight, double points, String source,
      String note) {}
}
