package org.powerverse.geo.internal;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Heap retained by the index holding N announcements (the announcement records included), as
 * the used heap after full GCs with the index built minus before. Reported as the auxiliary
 * counter {@code retainedBytes}; the time is generation plus build. Once per fork is enough.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(1)
public class IndexMemoryBenchmark {

  @Param("1000000")
  public int nodes;

  private NearestIndex index;

  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Footprint {
    public long retainedBytes;
  }

  @Benchmark
  public NearestIndex build(Footprint footprint) {
    long before = usedAfterGc();
    index = new NearestIndex();
    // Generated one at a time straight into the index: what is retained is what the index holds,
    // the announcement records included.
    RandomAnnouncements generator = new RandomAnnouncements(42);
    for (int i = 0; i < nodes; i++) {
      index.put(generator.announcement(7));
    }
    long after = usedAfterGc();
    footprint.retainedBytes = after - before;
    return index;
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
