package org.powerverse.geo;

import java.util.Objects;

/**
 * What this node offers now, as the rest of the node (hypervisor, CDN, benchmarks) knows it: the
 * appliance supplies it, edge-geo announces it.
 *
 * @param capacity free vCPUs, memory, GPUs and cache
 * @param score the node's benchmark score (higher is better)
 */
public record Offer(Capacity capacity, long score) {

  public static final Offer NONE = new Offer(Capacity.NONE, 0);

  public Offer {
    Objects.requireNonNull(capacity, "capacity");
    if (score < 0 || score > Announcement.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException("score must be between 0 and 2^53-1, got " + score);
    }
  }
}
