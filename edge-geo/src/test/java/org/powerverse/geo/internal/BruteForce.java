package org.powerverse.geo.internal;

import com.uber.h3core.util.LatLng;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.NearestQuery;
import org.powerverse.geo.NodeMatch;

/**
 * The oracle: every live announcement, the textbook haversine distance from latitude/longitude of
 * the cell centre, sort, take k. Shares no code with {@link NearestIndex} beyond H3 itself.
 */
public final class BruteForce {

  private final List<Announcement> announcements;
  private final double[] latitudes;
  private final double[] longitudes;

  public BruteForce(List<Announcement> announcements) {
    this.announcements = List.copyOf(announcements);
    latitudes = new double[announcements.size()];
    longitudes = new double[announcements.size()];
    for (int i = 0; i < announcements.size(); i++) {
      LatLng center = H3Cells.h3().cellToLatLng(announcements.get(i).h3Cell());
      latitudes[i] = center.lat;
      longitudes[i] = center.lng;
    }
  }

  public static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * NearestIndex.EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  /**
   * The same answer as {@link #nearest} without sorting every match: one pass keeping the best k
   * in a small sorted array (O(n log k)), the fair no-index baseline for the benchmark.
   */
  public List<NodeMatch> nearestTopK(NearestQuery query, Instant now) {
    int k = query.k();
    int[] best = new int[k];
    double[] ranks = new double[k];
    int count = 0;
    for (int i = 0; i < announcements.size(); i++) {
      Announcement a = announcements.get(i);
      if (a.isExpiredAt(now) || !query.admits(a)) {
        continue;
      }
      double distance = haversineKm(query.latitude(), query.longitude(), latitudes[i], longitudes[i]);
      if (count == k && !before(distance, a.nodeId(), ranks[k - 1], announcements.get(best[k - 1]).nodeId())) {
        continue;
      }
      int at = Math.min(count, k - 1);
      while (at > 0 && before(distance, a.nodeId(), ranks[at - 1], announcements.get(best[at - 1]).nodeId())) {
        best[at] = best[at - 1];
        ranks[at] = ranks[at - 1];
        at--;
      }
      best[at] = i;
      ranks[at] = distance;
      count = Math.min(count + 1, k);
    }
    List<NodeMatch> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(new NodeMatch(announcements.get(best[i]), ranks[i], ranks[i], null));
    }
    return out;
  }

  private static boolean before(double rank, String nodeId, double otherRank, String otherNodeId) {
    return rank < otherRank || (rank == otherRank && nodeId.compareTo(otherNodeId) < 0);
  }

  public List<NodeMatch> nearest(NearestQuery query, Instant now, Map<String, Double> penaltiesKm) {
    List<NodeMatch> all = new ArrayList<>();
    for (int i = 0; i < announcements.size(); i++) {
      Announcement a = announcements.get(i);
      if (a.isExpiredAt(now) || !query.admits(a)) {
        continue;
      }
      double distance = haversineKm(query.latitude(), query.longitude(), latitudes[i], longitudes[i]);
      double rank = distance + penaltiesKm.getOrDefault(a.nodeId(), 0.0);
      all.add(new NodeMatch(a, distance, rank, null));
    }
    all.sort(Comparator.comparingDouble(NodeMatch::rankKm).thenComparing(m -> m.announcement().nodeId()));
    return all.subList(0, Math.min(query.k(), all.size()));
  }
}
