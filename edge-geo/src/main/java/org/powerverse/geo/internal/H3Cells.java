package org.powerverse.geo.internal;

import com.uber.h3core.H3Core;
import com.uber.h3core.LengthUnit;
import com.uber.h3core.util.LatLng;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * The one H3 instance of the process (the JNI library is loaded once, from the h3 jar) and the few
 * operations edge-geo needs, on hex cell addresses. H3Core is stateless and thread-safe.
 */
public final class H3Cells {

  private H3Cells() {}

  private static final class Holder {
    static final H3Core H3 = load();

    private static H3Core load() {
      try {
        return H3Core.newInstance();
      } catch (IOException | UnsatisfiedLinkError e) {
        throw new IllegalStateException("cannot load the H3 native library from the com.uber:h3 jar for "
            + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ": " + e.getMessage(), e);
      }
    }
  }

  public static H3Core h3() {
    return Holder.H3;
  }

  /** Whether {@code address} is a valid H3 cell (any resolution, either case). */
  public static boolean isValidCell(String address) {
    if (address == null || address.isEmpty() || address.length() > 16) {
      return false;
    }
    for (int i = 0; i < address.length(); i++) {
      if (Character.digit(address.charAt(i), 16) < 0) {
        return false;
      }
    }
    return h3().isValidCell(address);
  }

  /** The cell containing a point, as a lower-case hex address. */
  public static String cell(double latitude, double longitude, int resolution) {
    checkCoordinates(latitude, longitude);
    checkResolution(resolution);
    return h3().latLngToCellAddress(latitude, longitude, resolution);
  }

  public static long cellIndex(double latitude, double longitude, int resolution) {
    return h3().latLngToCell(latitude, longitude, resolution);
  }

  /** The cell's resolution. */
  public static int resolution(String cell) {
    return h3().getResolution(cell);
  }

  /** {@code cell} at {@code resolution} when it is finer, else unchanged: a cell cannot be refined. */
  public static String atMost(String cell, int resolution) {
    String normal = cell.toLowerCase(Locale.ROOT);
    return resolution(normal) > resolution ? h3().cellToParentAddress(normal, resolution) : normal;
  }

  /** The cell's centre {latitude, longitude} in degrees. */
  public static double[] center(String cell) {
    LatLng center = h3().cellToLatLng(cell);
    return new double[] {center.lat, center.lng};
  }

  public static double[] center(long cell) {
    LatLng center = h3().cellToLatLng(cell);
    return new double[] {center.lat, center.lng};
  }

  public static List<LatLng> boundary(long cell) {
    return h3().cellToBoundary(cell);
  }

  /** The cell and its neighbours (grid distance at most 1); correct around pentagons. */
  public static List<Long> disk1(long cell) {
    return h3().gridDisk(cell, 1);
  }

  /** Average hexagon edge length at a resolution, in km. */
  public static double averageEdgeKm(int resolution) {
    return h3().getHexagonEdgeLengthAvg(resolution, LengthUnit.km);
  }

  public static void checkResolution(int resolution) {
    if (resolution < 0 || resolution > 15) {
      throw new IllegalArgumentException("an H3 resolution is between 0 and 15, got " + resolution);
    }
  }

  public static void checkCoordinates(double latitude, double longitude) {
    if (!(latitude >= -90 && latitude <= 90)) {
      throw new IllegalArgumentException("latitude must be between -90 and 90, got " + latitude);
    }
    if (!(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("longitude must be between -180 and 180, got " + longitude);
    }
  }
}
