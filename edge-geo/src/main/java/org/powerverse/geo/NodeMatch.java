package org.powerverse.geo;

import java.util.Objects;

/**
 * One answer to a {@link NearestQuery}.
 *
 * @param announcement the node's live announcement
 * @param distanceKm great-circle distance from the query point to the centre of the node's cell
 * @param rankKm what the ranking sorts by: distanceKm plus the RTT penalty (docs/geo.md), never less
 *     than distanceKm
 * @param rttMs the smallest recent RTT this node measured to that node, or null when none
 */
public record NodeMatch(Announcement announcement, double distanceKm, double rankKm, Double rttMs) {

  public NodeMatch {
    Objects.requireNonNull(announcement, "announcement");
    if (!(distanceKm >= 0) || !(rankKm >= distanceKm)) {
      throw new IllegalArgumentException("need 0 <= distanceKm <= rankKm, got " + distanceKm + ", " + rankKm);
    }
  }
}
