package org.powerverse.geo;

/** Where a node's location came from, in the order they are tried. */
public enum LocationSource {
  /** {@code geo.latitude/longitude} or {@code geo.h3Cell}. */
  config,
  /** A GeoIP database lookup of the node's public address. */
  geoip,
  /** Nothing worked; the node announces nothing. */
  unknown
}
