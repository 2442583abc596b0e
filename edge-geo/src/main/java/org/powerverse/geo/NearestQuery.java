package org.powerverse.geo;

import org.powerverse.platform.Check;

/**
 * "Which k live nodes near here can take this work": a point, how many, and capacity filters
 * (null = no filter).
 *
 * @param latitude degrees, -90 to 90
 * @param longitude degrees, -180 to 180
 * @param k how many nodes at most, 1 to {@link #MAX_K}
 * @param gpuModel only nodes with at least one free GPU of this exact model
 * @param minVcpus only nodes with at least this many free vCPUs
 * @param maxPrice only nodes asking at most this price
 */
public record NearestQuery(double latitude, double longitude, int k, String gpuModel, Integer minVcpus, Long maxPrice) {

  public static final int DEFAULT_K = 10;
  public static final int MAX_K = 100;

  public NearestQuery {
    Check.range("lat", latitude, -90.0, 90.0);
    Check.range("lon", longitude, -180.0, 180.0);
    Check.range("k", k, 1, MAX_K);
    if (gpuModel != null) {
      Check.that(Capacity.GPU_MODEL.matcher(gpuModel).matches(), "gpuModel", "not a GPU model name, got \"" + gpuModel + "\"");
    }
    if (minVcpus != null) {
      Check.range("minVcpus", minVcpus, 0, 1_000_000);
    }
    if (maxPrice != null) {
      Check.range("maxPrice", maxPrice, 0L, Announcement.MAX_SAFE_INTEGER);
    }
  }

  public static NearestQuery near(double latitude, double longitude, int k) {
    return new NearestQuery(latitude, longitude, k, null, null, null);
  }

  /** Whether a node's announcement passes the capacity filters (not its liveness). */
  public boolean admits(Announcement a) {
    return (gpuModel == null || a.capacity().hasGpu(gpuModel))
        && (minVcpus == null || a.capacity().freeVcpus() >= minVcpus)
        && (maxPrice == null || a.price() <= maxPrice);
  }
}
