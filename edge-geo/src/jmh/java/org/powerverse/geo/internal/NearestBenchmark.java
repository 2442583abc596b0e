package org.powerverse.geo.internal;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;

/**
 * Nearest-10 with filters over N live announcements: the index against a brute-force scan (one
 * pass, haversine, best k kept in a small sorted array), in the same run on the same data and
 * queries. SampleTime mode gives p50/p99 per query.
 * Nodes: half uniform over the globe, a quarter in 40 dense clusters, the rest near the poles and
 * the antimeridian (RandomAnnouncements); queries are drawn from the same places.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NearestBenchmark {

  @Param("1000000")
  public int nodes;

  /** none: no filter; cpuPrice: minVcpus 8 and maxPrice 5000 (about 47% of nodes pass); gpu: plus a GPU model (about 3%). */
  @Param({"cpuPrice", "gpu"})
  public String filter;

  private NearestIndex index;
  private BruteForce bruteForce;
  private NearestQuery[] queries;
  private int next;
  private final Instant now = RandomAnnouncements.EPOCH.plusSeconds(3600);

  @Setup(Level.Trial)
  public void build() {
    RandomAnnouncements gen = new RandomAnnouncements(42);
    // Every node live at "now": the benchmark measures search, not expiry.
    List<Announcement> all = gen.announcements(nodes, 7).stream()
        .map(a -> new Announcement(a.nodeId(), a.h3Cell(), a.endpoints(), a.capacity(), a.price(), a.score(), a.seq(),
            a.issuedAt(), 86_400))
        .toList();
    index = new NearestIndex();
    all.forEach(index::put);
    bruteForce = new BruteForce(all);
    queries = new NearestQuery[4096];
    for (int i = 0; i < queries.length; i++) {
      double[] p = gen.point();
      String gpu = filter.equals("gpu") ? RandomAnnouncements.GPU_MODELS.get(i % RandomAnnouncements.GPU_MODELS.size()) : null;
      queries[i] = filter.equals("none")
          ? NearestQuery.near(p[0], p[1], 10)
          : new NearestQuery(p[0], p[1], 10, gpu, 8, 5000L);
    }
    // Touch every bucket cell's geometry once, as a long-running node would have.
    for (NearestQuery q : queries) {
      index.nearest(q, now);
    }
  }

  @Benchmark
  public List<NodeMatch> index() {
    return index.nearest(queries[next++ & (queries.length - 1)], now);
  }

  @Benchmark
  public List<NodeMatch> bruteForce() {
    return bruteForce.nearestTopK(queries[next++ & (queries.length - 1)], now);
  }
}
