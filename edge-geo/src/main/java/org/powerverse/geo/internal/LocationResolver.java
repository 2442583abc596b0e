package org.powerverse.geo.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.Location;
import org.powerverse.geo.LocationSource;

/**
 * Resolves this node's location in order: config ({@code geo.latitude/longitude}, else
 * {@code geo.h3Cell}), else a GeoIP lookup of the public address (configured, else detected), else
 * unknown, and says which source it used or why each failed. Blocking (reads the .mmdb file).
 */
public final class LocationResolver {

  private final PublicAddressDetector detector;

  public LocationResolver(PublicAddressDetector detector) {
    this.detector = Objects.requireNonNull(detector, "detector");
  }

  public Location resolve(GeoConfig config) {
    int resolution = config.resolution();
    if (config.latitude() != null) {
      String cell = H3Cells.cell(config.latitude(), config.longitude(), resolution);
      return new Location(LocationSource.config, cell, resolution, "geo.latitude/longitude");
    }
    if (config.h3Cell() != null) {
      String cell = H3Cells.atMost(config.h3Cell(), resolution);
      return new Location(LocationSource.config, cell, H3Cells.resolution(cell), "geo.h3Cell");
    }
    if (config.mmdb() == null) {
      return Location.unknown("no geo.latitude/longitude, geo.h3Cell or geo.mmdb configured");
    }
    Optional<InetAddress> address = config.publicAddress() != null
        ? IpLiterals.parse(config.publicAddress())
        : detector.detect();
    if (address.isEmpty()) {
      return Location.unknown("geo.mmdb is set but this node has no public address: no global unicast address on any "
          + "interface (behind NAT?); set geo.publicAddress");
    }
    String ip = address.get().getHostAddress();
    Path file = Path.of(config.mmdb());
    try (GeoIpDatabase database = GeoIpDatabase.open(file)) {
      Optional<GeoIpDatabase.Hit> hit = database.lookup(address.get());
      if (hit.isEmpty()) {
        return Location.unknown("public address " + ip + " is not in the GeoIP database " + file);
      }
      if (!hit.get().hasCoordinates()) {
        return Location.unknown("the GeoIP database " + file + " knows only the country of " + ip + " ("
            + hit.get().country() + "), not its coordinates");
      }
      int honest = coarsenToAccuracy(resolution, hit.get().accuracyRadiusKm());
      String cell = H3Cells.cell(hit.get().latitude(), hit.get().longitude(), honest);
      return new Location(LocationSource.geoip, cell, honest, "GeoIP lookup of " + ip + " in " + file
          + (hit.get().city() == null ? "" : ": " + hit.get().city()) + ", " + hit.get().country()
          + (honest < resolution ? " (resolution " + honest + " for an accuracy radius of "
              + hit.get().accuracyRadiusKm() + " km)" : ""));
    } catch (IOException e) {
      return Location.unknown("GeoIP lookup failed: " + e.getMessage());
    }
  }

  /**
   * The finest resolution, no finer than {@code resolution}, whose average hexagon edge is at least
   * the GeoIP accuracy radius: a lookup good to 100 km should not claim a 1.4 km cell.
   */
  static int coarsenToAccuracy(int resolution, Integer accuracyRadiusKm) {
    if (accuracyRadiusKm == null || accuracyRadiusKm <= 0) {
      return resolution;
    }
    int r = resolution;
    while (r > 0 && H3Cells.averageEdgeKm(r) < accuracyRadiusKm) {
      r--;
    }
    return r;
  }
}
