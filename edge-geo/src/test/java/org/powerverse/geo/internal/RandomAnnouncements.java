package org.powerverse.geo.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.NearestQuery;

/**
 * Seeded random announcements and queries that lean on the hard places: the poles, the
 * antimeridian, pentagons, dense clusters, and empty oceans. One seed reproduces a whole case.
 */
public final class RandomAnnouncements {

  public static final List<String> GPU_MODELS =
      List.of("NVIDIA H100 80GB HBM3", "NVIDIA A100 80GB PCIe", "NVIDIA GeForce RTX 4090", "AMD Instinct MI300X", "NVIDIA L4");
  public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  private final SplittableRandom random;
  private final double[][] clusters;

  public RandomAnnouncements(long seed) {
    random = new SplittableRandom(seed);
    clusters = new double[40][];
    for (int i = 0; i < clusters.length; i++) {
      clusters[i] = uniformPoint();
    }
  }

  public double[] uniformPoint() {
    double lat = Math.toDegrees(Math.asin(2 * random.nextDouble() - 1));
    double lon = -180 + 360 * random.nextDouble();
    return new double[] {lat, lon};
  }

  /** A point: uniform, clustered, polar or on the antimeridian. */
  public double[] point() {
    double pick = random.nextDouble();
    if (pick < 0.5) {
      return uniformPoint();
    }
    if (pick < 0.75) {
      double[] c = clusters[random.nextInt(clusters.length)];
      double lat = clamp(c[0] + random.nextGaussian() * 0.5, -90, 90);
      return new double[] {lat, wrap(c[1] + random.nextGaussian() * 0.5)};
    }
    if (pick < 0.875) {
      double lat = (random.nextBoolean() ? 1 : -1) * (90 - random.nextDouble() * random.nextDouble() * 5);
      return new double[] {lat, -180 + 360 * random.nextDouble()};
    }
    double lon = (random.nextBoolean() ? 180 : -180) - Math.copySign(random.nextDouble() * random.nextDouble() * 2, random.nextBoolean() ? 1 : -1);
    return new double[] {Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)), wrap(lon)};
  }

  public Announcement announcement(int resolution) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    double[] p = point();
    String cell = H3Cells.cell(p[0], p[1], resolution);
    Map<String, Integer> gpus = new java.util.TreeMap<>();
    if (random.nextDouble() < 0.3) {
      gpus.put(GPU_MODELS.get(random.nextInt(GPU_MODELS.size())), 1 + random.nextInt(8));
      if (random.nextDouble() < 0.2) {
        gpus.put(GPU_MODELS.get(random.nextInt(GPU_MODELS.size())), 1 + random.nextInt(8));
      }
    }
    Capacity capacity = new Capacity(random.nextInt(129), random.nextLong(1L << 40), gpus, random.nextLong(1L << 42));
    Instant issued = EPOCH.plusSeconds(random.nextInt(3600));
    return new Announcement(PeerIds.ofEd25519(key), cell, Endpoints.NONE, capacity, random.nextInt(10_000),
        random.nextInt(100_000), 1 + random.nextInt(1_000_000), issued, 600 + random.nextInt(3600));
  }

  public List<Announcement> announcements(int n, int resolution) {
    List<Announcement> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(announcement(resolution));
    }
    return out;
  }

  /** A query: anywhere, exactly at a pole or on the antimeridian, at a pentagon; random filters. */
  public NearestQuery query(int maxK) {
    double pick = random.nextDouble();
    double[] p;
    if (pick < 0.1) {
      p = new double[] {random.nextBoolean() ? 90 : -90, -180 + 360 * random.nextDouble()};
    } else if (pick < 0.2) {
      p = new double[] {Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)), random.nextBoolean() ? 180 : -180};
    } else if (pick < 0.3) {
      List<Long> pentagons = new ArrayList<>(H3Cells.h3().getPentagons(random.nextInt(5)));
      double[] c = H3Cells.center(pentagons.get(random.nextInt(pentagons.size())));
      p = c;
    } else {
      p = point();
    }
    String gpu = random.nextDouble() < 0.3 ? GPU_MODELS.get(random.nextInt(GPU_MODELS.size())) : null;
    Integer minVcpus = random.nextDouble() < 0.4 ? random.nextInt(129) : null;
    Long maxPrice = random.nextDouble() < 0.4 ? (long) random.nextInt(10_000) : null;
    return new NearestQuery(p[0], p[1], 1 + random.nextInt(maxK), gpu, minVcpus, maxPrice);
  }

  public SplittableRandom random() {
    return random;
  }

  private static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }

  private static double wrap(double lon) {
    double wrapped = ((lon + 180) % 360 + 360) % 360 - 180;
    return wrapped == -180 && lon > 0 ? 180 : wrapped;
  }
}
