package org.powerverse.geo.internal;

import com.uber.h3core.util.LatLng;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;

/**
 * The in-memory index over live announcements behind "nearest k nodes that can take this work".
 *
 * <p>Nodes sit at the centres of their announced cells, bucketed by the coarser H3 cell (the
 * bucket resolution) that contains that point. A query walks the H3 grid outwards from the query
 * point's bucket cell, ring by ring (breadth-first over H3 neighbours, so grid distance is exact
 * around pentagons too), scans the buckets it meets and keeps the best k by rank (distance plus
 * RTT penalty, ties by node id). It stops when every cell of the next ring is farther than the
 * current k-th rank: a point beyond a ring can only be reached by a path through that ring, and
 * every point of a cell lies within the cell's circumradius (the largest centre-to-vertex
 * distance: cell edges are great-circle arcs) of its centre. The result is therefore exactly the
 * brute-force answer, poles and antimeridian included (distances come from unit vectors).
 *
 * <p>Storage is column-wise per slot (unit vector, free vCPUs, price, GPU-model bit mask, expiry),
 * and each bucket keeps a summary (largest free vCPUs, lowest price, union of GPU masks, farthest
 * member) so a bucket that cannot hold a match is skipped unread. Expiry pops a priority queue by
 * expiry time: no full scans. Thread-safe (read-write lock).
 */
public final class NearestIndex {

  public static final int DEFAULT_BUCKET_RESOLUTION = 3;
  /** Mean Earth radius (IUGG), km; the oracle and the docs use the same value. */
  public static final double EARTH_RADIUS_KM = 6371.0088;
  /** Slack for floating-point error in cell geometry, radians (about 6 mm). */
  private static final double MARGIN_RAD = 1e-9;
  private static final long OVERFLOW_GPU_BIT = 1L << 63;

  /** Bounds over a set of members: a set that cannot hold a match is skipped unread. */
  private static class Summary {
    int maxVcpus = -1;
    long minPrice = Long.MAX_VALUE;
    long gpuMask;

    void include(int vcpus, long price, long mask) {
      maxVcpus = Math.max(maxVcpus, vcpus);
      minPrice = Math.min(minPrice, price);
      gpuMask |= mask;
    }
  }

  /**
   * Members of a bucket grouped by a finer cell (two resolutions below the bucket's), so a dense
   * bucket is read group by group, nearest first, and far groups are skipped. The bound uses the
   * group's own anchor (its first member's point) and farthest member, so it needs no geometry.
   */
  private static final class Group extends Summary {
    final long key;
    final double ax;
    final double ay;
    final double az;
    double farthestRad;
    int[] slots = new int[4];
    int size;

    Group(long key, double ax, double ay, double az) {
      this.key = key;
      this.ax = ax;
      this.ay = ay;
      this.az = az;
    }

    double lowerBoundKm(double qx, double qy, double qz) {
      return Math.max(0, angle(qx, qy, qz, ax, ay, az) - farthestRad - MARGIN_RAD) * EARTH_RADIUS_KM;
    }
  }

  private static final class Bucket extends Summary {
    final long cell;
    final CellGeometry geometry;
    Group[] groups = new Group[2];
    int groupCount;
    int size;
    double farthestRad;

    Bucket(long cell, CellGeometry geometry) {
      this.cell = cell;
      this.geometry = geometry;
    }

    /** Lower bound of the distance (km) from a point to any member. */
    double lowerBoundKm(double qx, double qy, double qz) {
      double radius = Math.max(geometry.radiusRad, farthestRad + MARGIN_RAD);
      return Math.max(0, angle(qx, qy, qz, geometry.x, geometry.y, geometry.z) - radius) * EARTH_RADIUS_KM;
    }

    Group group(long key) {
      for (int i = 0; i < groupCount; i++) {
        if (groups[i].key == key) {
          return groups[i];
        }
      }
      return null;
    }
  }

  /** The geometry of a bucket cell, computed once from H3 (JNI) and cached. */
  private record CellGeometry(double x, double y, double z, double radiusRad, long[] neighbors) {}

  private record Expiry(long atMillis, String nodeId, long seq) {}

  private final int resolution;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Long, CellGeometry> geometry = new ConcurrentHashMap<>();
  private final Map<String, Integer> slotsByNode = new HashMap<>();
  private final Map<Long, Bucket> buckets = new HashMap<>();
  private final PriorityQueue<Expiry> expiries = new PriorityQueue<>((a, b) -> Long.compare(a.atMillis, b.atMillis));
  private final Map<String, Integer> gpuModelIds = new HashMap<>();
  private final Map<String, double[]> rtts = new HashMap<>();

  private Announcement[] announcements = new Announcement[16];
  private double[] xs = new double[16];
  private double[] ys = new double[16];
  private double[] zs = new double[16];
  private int[] vcpus = new int[16];
  private long[] prices = new long[16];
  private long[] expires = new long[16];
  private double[] penalties = new double[16];
  private long[] gpuMasks = new long[16];
  private long[] cells = new long[16];
  private long[] groupKeys = new long[16];
  private int[] positions = new int[16];
  private int highWater;
  private int[] free = new int[16];
  private int freeCount;

  public NearestIndex() {
    this(DEFAULT_BUCKET_RESOLUTION);
  }

  public NearestIndex(int bucketResolution) {
    if (bucketResolution < 0 || bucketResolution > 6) {
      throw new IllegalArgumentException("bucket resolution must be between 0 and 6, got " + bucketResolution);
    }
    this.resolution = bucketResolution;
  }

  public int bucketResolution() {
    return resolution;
  }

  /**
   * Adds or replaces a node's announcement. An announcement with a seq at or below the stored one
   * is ignored (returns false): the index never goes back in time.
   */
  public boolean put(Announcement a) {
    LatLng center = H3Cells.h3().cellToLatLng(a.h3Cell());
    double[] v = unitVector(center.lat, center.lng);
    long bucketCell = H3Cells.cellIndex(center.lat, center.lng, resolution);
    long groupKey = parent(Long.parseUnsignedLong(a.h3Cell(), 16), resolution + 2);
    CellGeometry cellGeometry = geometry(bucketCell);
    lock.writeLock().lock();
    try {
      Integer existing = slotsByNode.get(a.nodeId());
      if (existing != null) {
        if (announcements[existing].seq() >= a.seq()) {
          return false;
        }
        removeSlot(existing);
      }
      int slot = allocate();
      announcements[slot] = a;
      xs[slot] = v[0];
      ys[slot] = v[1];
      zs[slot] = v[2];
      vcpus[slot] = a.capacity().freeVcpus();
      prices[slot] = a.price();
      expires[slot] = a.expiresAt().toEpochMilli();
      double[] rtt = rtts.get(a.nodeId());
      penalties[slot] = rtt == null ? 0 : rtt[1];
      long mask = 0;
      for (String model : a.capacity().gpus().keySet()) {
        mask |= gpuBit(gpuModelIds.computeIfAbsent(model, m -> gpuModelIds.size()));
      }
      gpuMasks[slot] = mask;
      cells[slot] = bucketCell;
      Bucket bucket = buckets.computeIfAbsent(bucketCell, c -> new Bucket(c, cellGeometry));
      Group group = bucket.group(groupKey);
      if (group == null) {
        group = new Group(groupKey, v[0], v[1], v[2]);
        if (bucket.groupCount == bucket.groups.length) {
          bucket.groups = Arrays.copyOf(bucket.groups, bucket.groupCount * 2);
        }
        bucket.groups[bucket.groupCount++] = group;
      }
      if (group.size == group.slots.length) {
        group.slots = Arrays.copyOf(group.slots, group.size * 2);
      }
      positions[slot] = group.size;
      group.slots[group.size++] = slot;
      groupKeys[slot] = groupKey;
      bucket.size++;
      // Bounds and summaries only loosen on removal (still valid), and reset when a set empties.
      bucket.farthestRad = Math.max(bucket.farthestRad, angle(cellGeometry.x, cellGeometry.y, cellGeometry.z, v[0], v[1], v[2]));
      group.farthestRad = Math.max(group.farthestRad, angle(group.ax, group.ay, group.az, v[0], v[1], v[2]));
      bucket.include(vcpus[slot], prices[slot], mask);
      group.include(vcpus[slot], prices[slot], mask);
      slotsByNode.put(a.nodeId(), slot);
      expiries.add(new Expiry(expires[slot], a.nodeId(), a.seq()));
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public boolean remove(String nodeId) {
    lock.writeLock().lock();
    try {
      Integer slot = slotsByNode.get(nodeId);
      if (slot == null) {
        return false;
      }
      removeSlot(slot);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes every announcement that has expired by {@code now}; returns how many. */
  public int expire(Instant now) {
    long nowMillis = now.toEpochMilli();
    lock.writeLock().lock();
    try {
      int removed = 0;
      while (!expiries.isEmpty() && expiries.peek().atMillis <= nowMillis) {
        Expiry next = expiries.poll();
        Integer slot = slotsByNode.get(next.nodeId);
        if (slot != null && announcements[slot].seq() == next.seq) {
          removeSlot(slot);
          removed++;
        }
      }
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Records the smallest recent RTT to a node and the rank penalty it earns (km, at least 0); kept
   * across its re-announcements.
   */
  public void setRtt(String nodeId, double rttMs, double penaltyKm) {
    if (!(penaltyKm >= 0) || !(rttMs >= 0)) {
      throw new IllegalArgumentException("need rttMs >= 0 and penaltyKm >= 0, got " + rttMs + ", " + penaltyKm);
    }
    lock.writeLock().lock();
    try {
      rtts.put(nodeId, new double[] {rttMs, penaltyKm});
      Integer slot = slotsByNode.get(nodeId);
      if (slot != null) {
        penalties[slot] = penaltyKm;
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return slotsByNode.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  public Optional<Announcement> get(String nodeId) {
    lock.readLock().lock();
    try {
      Integer slot = slotsByNode.get(nodeId);
      return slot == null ? Optional.empty() : Optional.of(announcements[slot]);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The nearest (by rank) at most k live nodes passing the filters, nearest first. */
  public List<NodeMatch> nearest(NearestQuery query, Instant now) {
    double[] q = unitVector(query.latitude(), query.longitude());
    long origin = H3Cells.cellIndex(query.latitude(), query.longitude(), resolution);
    lock.readLock().lock();
    try {
      if (slotsByNode.isEmpty()) {
        return List.of();
      }
      Search search = new Search(query, q, now.toEpochMilli());
      if (search.impossible) {
        return List.of();
      }
      LongSet visited = new LongSet(64);
      LongSet scanned = new LongSet(64);
      int bucketsTotal = buckets.size();
      // Few buckets, or a walk that has grown past a share of them (sparse data, or filters few
      // nodes pass): ordering the remaining buckets by lower bound is cheaper than walking on.
      int walkLimit = Math.max(64, bucketsTotal / 4);
      if (bucketsTotal <= 64) {
        sweep(search, scanned, q);
        return search.results();
      }
      visited.add(origin);
      long[] frontier = {origin};
      int frontierSize = 1;
      double[] bounds = new double[8];
      int bucketsSeen = 0;
      while (frontierSize > 0) {
        if (visited.size() > walkLimit) {
          sweep(search, scanned, q);
          break;
        }
        if (bounds.length < frontierSize) {
          bounds = new double[frontier.length];
        }
        double ringBound = Double.POSITIVE_INFINITY;
        for (int i = 0; i < frontierSize; i++) {
          Bucket bucket = buckets.get(frontier[i]);
          if (bucket != null) {
            bounds[i] = bucket.lowerBoundKm(q[0], q[1], q[2]);
          } else {
            CellGeometry g = geometry(frontier[i]);
            bounds[i] = Math.max(0, angle(q[0], q[1], q[2], g.x, g.y, g.z) - g.radiusRad) * EARTH_RADIUS_KM;
          }
          ringBound = Math.min(ringBound, bounds[i]);
        }
        if (search.full() && ringBound > search.worstRank()) {
          break;
        }
        for (int i = 0; i < frontierSize; i++) {
          Bucket bucket = buckets.get(frontier[i]);
          if (bucket == null) {
            continue;
          }
          bucketsSeen++;
          scanned.add(frontier[i]);
          if (search.full() && bounds[i] > search.worstRank()) {
            continue;
          }
          if (!search.mayMatch(bucket)) {
            continue;
          }
          search.scan(bucket);
        }
        if (bucketsSeen == bucketsTotal) {
          break;
        }
        long[] next = new long[Math.max(8, frontierSize * 2 + 6)];
        int nextSize = 0;
        for (int i = 0; i < frontierSize; i++) {
          for (long neighbor : geometry(frontier[i]).neighbors) {
            if (visited.add(neighbor)) {
              if (nextSize == next.length) {
                next = Arrays.copyOf(next, next.length * 2);
              }
              next[nextSize++] = neighbor;
            }
          }
        }
        frontier = next;
        frontierSize = nextSize;
      }
      return search.results();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Scans the buckets not yet visited in order of their lower bounds, until none can improve. */
  private void sweep(Search search, LongSet scanned, double[] q) {
    long[] order = new long[buckets.size()];
    Bucket[] pending = new Bucket[buckets.size()];
    int n = 0;
    for (Bucket bucket : buckets.values()) {
      if (scanned.contains(bucket.cell) || !search.mayMatch(bucket)) {
        continue;
      }
      // Rounded down to float: a sort key that never overstates the bound, with the index beside it.
      float bound = Math.nextDown((float) bucket.lowerBoundKm(q[0], q[1], q[2]));
      order[n] = ((long) Float.floatToIntBits(Math.max(0f, bound)) << 32) | n;
      pending[n++] = bucket;
    }
    Arrays.sort(order, 0, n);
    for (int i = 0; i < n; i++) {
      double bound = Float.intBitsToFloat((int) (order[i] >>> 32));
      if (search.full() && bound > search.worstRank()) {
        return;
      }
      search.scan(pending[(int) order[i]]);
    }
  }

  /** One query's state: the filters resolved against this index and the best k so far. */
  private final class Search {
    private final NearestQuery query;
    private final double qx;
    private final double qy;
    private final double qz;
    private final long nowMillis;
    private final int minVcpus;
    private final long maxPrice;
    private final long gpuBit;
    private final boolean impossible;
    // Best k so far, sorted by (rank, node id).
    private final int[] bestSlots;
    private final double[] bestRanks;
    private final double[] bestDistances;
    private int count;
    private double[] groupBounds = new double[64];
    private Group[] groupOrder = new Group[64];

    Search(NearestQuery query, double[] q, long nowMillis) {
      this.query = query;
      this.qx = q[0];
      this.qy = q[1];
      this.qz = q[2];
      this.nowMillis = nowMillis;
      this.minVcpus = query.minVcpus() == null ? Integer.MIN_VALUE : query.minVcpus();
      this.maxPrice = query.maxPrice() == null ? Long.MAX_VALUE : query.maxPrice();
      if (query.gpuModel() == null) {
        gpuBit = 0;
        impossible = false;
      } else {
        Integer id = gpuModelIds.get(query.gpuModel());
        gpuBit = id == null ? 0 : gpuBit(id);
        impossible = id == null; // no node has ever announced this model
      }
      bestSlots = new int[query.k()];
      bestRanks = new double[query.k()];
      bestDistances = new double[query.k()];
    }

    boolean full() {
      return count == bestSlots.length;
    }

    double worstRank() {
      return bestRanks[count - 1];
    }

    boolean mayMatch(Summary summary) {
      return summary.maxVcpus >= minVcpus && summary.minPrice <= maxPrice
          && (gpuBit == 0 || (summary.gpuMask & gpuBit) != 0);
    }

    /** Reads a bucket's groups nearest first, skipping those that cannot match or improve. */
    void scan(Bucket bucket) {
      if (bucket.groupCount == 1) {
        scan(bucket.groups[0]);
        return;
      }
      if (groupBounds.length < bucket.groupCount) {
        groupBounds = new double[bucket.groupCount * 2];
        groupOrder = new Group[bucket.groupCount * 2];
      }
      int n = 0;
      for (int i = 0; i < bucket.groupCount; i++) {
        Group group = bucket.groups[i];
        if (!mayMatch(group)) {
          continue;
        }
        double bound = group.lowerBoundKm(qx, qy, qz);
        if (full() && bound > worstRank()) {
          continue;
        }
        int at = n++;
        while (at > 0 && groupBounds[at - 1] > bound) {
          groupBounds[at] = groupBounds[at - 1];
          groupOrder[at] = groupOrder[at - 1];
          at--;
        }
        groupBounds[at] = bound;
        groupOrder[at] = group;
      }
      for (int i = 0; i < n; i++) {
        if (full() && groupBounds[i] > worstRank()) {
          return;
        }
        scan(groupOrder[i]);
      }
    }

    void scan(Group group) {
      int[] slots = group.slots;
      for (int i = 0; i < group.size; i++) {
        int slot = slots[i];
        if (vcpus[slot] < minVcpus || prices[slot] > maxPrice || expires[slot] <= nowMillis) {
          continue;
        }
        if (gpuBit != 0 && ((gpuMasks[slot] & gpuBit) == 0
            || (gpuBit == OVERFLOW_GPU_BIT && !announcements[slot].capacity().hasGpu(query.gpuModel())))) {
          continue;
        }
        double distance = angle(qx, qy, qz, xs[slot], ys[slot], zs[slot]) * EARTH_RADIUS_KM;
        double rank = distance + penalties[slot];
        if (full() && rank > worstRank()) {
          continue;
        }
        offer(slot, rank, distance);
      }
    }

    private void offer(int slot, double rank, double distance) {
      String nodeId = announcements[slot].nodeId();
      int at = count;
      while (at > 0 && before(rank, nodeId, bestRanks[at - 1], announcements[bestSlots[at - 1]].nodeId())) {
        at--;
      }
      if (at == bestSlots.length) {
        return;
      }
      int last = Math.min(count, bestSlots.length - 1);
      System.arraycopy(bestSlots, at, bestSlots, at + 1, last - at);
      System.arraycopy(bestRanks, at, bestRanks, at + 1, last - at);
      System.arraycopy(bestDistances, at, bestDistances, at + 1, last - at);
      bestSlots[at] = slot;
      bestRanks[at] = rank;
      bestDistances[at] = distance;
      if (count < bestSlots.length) {
        count++;
      }
    }

    List<NodeMatch> results() {
      List<NodeMatch> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Announcement a = announcements[bestSlots[i]];
        double[] rtt = rtts.get(a.nodeId());
        out.add(new NodeMatch(a, bestDistances[i], bestRanks[i], rtt == null ? null : rtt[0]));
      }
      return out;
    }
  }

  private static boolean before(double rank, String nodeId, double otherRank, String otherNodeId) {
    return rank < otherRank || (rank == otherRank && nodeId.compareTo(otherNodeId) < 0);
  }

  private void removeSlot(int slot) {
    Announcement a = announcements[slot];
    Bucket bucket = buckets.get(cells[slot]);
    Group group = bucket.group(groupKeys[slot]);
    int position = positions[slot];
    int moved = group.slots[--group.size];
    group.slots[position] = moved;
    positions[moved] = position;
    if (group.size == 0) {
      for (int i = 0; i < bucket.groupCount; i++) {
        if (bucket.groups[i] == group) {
          bucket.groups[i] = bucket.groups[--bucket.groupCount];
          bucket.groups[bucket.groupCount] = null;
          break;
        }
      }
    }
    if (--bucket.size == 0) {
      buckets.remove(cells[slot]);
    }
    slotsByNode.remove(a.nodeId());
    announcements[slot] = null;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, free.length * 2);
    }
    free[freeCount++] = slot;
  }

  private int allocate() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    if (highWater == announcements.length) {
      int n = announcements.length * 2;
      announcements = Arrays.copyOf(announcements, n);
      xs = Arrays.copyOf(xs, n);
      ys = Arrays.copyOf(ys, n);
      zs = Arrays.copyOf(zs, n);
      vcpus = Arrays.copyOf(vcpus, n);
      prices = Arrays.copyOf(prices, n);
      expires = Arrays.copyOf(expires, n);
      penalties = Arrays.copyOf(penalties, n);
      gpuMasks = Arrays.copyOf(gpuMasks, n);
      cells = Arrays.copyOf(cells, n);
      groupKeys = Arrays.copyOf(groupKeys, n);
      positions = Arrays.copyOf(positions, n);
    }
    return highWater++;
  }

  private CellGeometry geometry(long cell) {
    CellGeometry known = geometry.get(cell);
    if (known != null) {
      return known;
    }
    return geometry.computeIfAbsent(cell, NearestIndex::computeGeometry);
  }

  private static CellGeometry computeGeometry(long cell) {
    double[] center = H3Cells.center(cell);
    double[] c = unitVector(center[0], center[1]);
    double radius = 0;
    for (LatLng vertex : H3Cells.boundary(cell)) {
      double[] v = unitVector(vertex.lat, vertex.lng);
      radius = Math.max(radius, angle(c[0], c[1], c[2], v[0], v[1], v[2]));
    }
    List<Long> disk = H3Cells.disk1(cell);
    long[] neighbors = disk.stream().mapToLong(Long::longValue).filter(n -> n != cell && n != 0).toArray();
    return new CellGeometry(c[0], c[1], c[2], radius + MARGIN_RAD, neighbors);
  }

  /** The parent (or the cell itself, when not finer) of an H3 index, by its bit layout. */
  static long parent(long cell, int resolution) {
    int own = (int) ((cell >>> 52) & 0xF);
    if (resolution >= own) {
      return cell;
    }
    long parent = (cell & ~(0xFL << 52)) | ((long) resolution << 52);
    for (int r = resolution + 1; r <= own; r++) {
      parent |= 7L << ((15 - r) * 3);
    }
    return parent;
  }

  private static long gpuBit(int modelId) {
    return modelId < 63 ? 1L << modelId : OVERFLOW_GPU_BIT;
  }

  static double[] unitVector(double latitudeDegrees, double longitudeDegrees) {
    double lat = Math.toRadians(latitudeDegrees);
    double lon = Math.toRadians(longitudeDegrees);
    double cosLat = Math.cos(lat);
    return new double[] {cosLat * Math.cos(lon), cosLat * Math.sin(lon), Math.sin(lat)};
  }

  /** Central angle between two unit vectors, from the chord: stable for tiny and large angles. */
  static double angle(double ax, double ay, double az, double bx, double by, double bz) {
    double dx = ax - bx;
    double dy = ay - by;
    double dz = az - bz;
    double halfChord = Math.sqrt(dx * dx + dy * dy + dz * dz) / 2;
    return 2 * Math.asin(Math.min(1.0, halfChord));
  }
}
