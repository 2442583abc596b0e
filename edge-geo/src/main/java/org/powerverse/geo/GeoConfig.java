package org.powerverse.geo;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import org.powerverse.geo.internal.H3Cells;
import org.powerverse.geo.internal.IpLiterals;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;
import org.powerverse.platform.InvalidValueException;

/**
 * The {@code geo} section of the config file: where this node is, what it announces, whom it
 * gossips with and what it accepts from them. Defaults are the named constants below.
 */
@Doc("Node location (announced only as an H3 cell), signed announcements, gossip and the nearest-node index.")
public record GeoConfig(
    @Doc("Latitude in degrees (WGS 84), given together with geo.longitude; wins over geo.h3Cell and GeoIP.")
    Double latitude,
    @Doc("Longitude in degrees (WGS 84), given together with geo.latitude.")
    Double longitude,
    @Doc("This node's H3 cell (hex address), instead of latitude/longitude; announced at geo.resolution or coarser.")
    String h3Cell,
    @Doc("Path of a MaxMind GeoIP2/GeoLite2 City or Country database (.mmdb), used when no location is configured. Nothing is downloaded.")
    String mmdb,
    @Doc("This node's public IP address for the GeoIP lookup; when absent, the first global unicast address of a local interface.")
    String publicAddress,
    @Doc("H3 resolution of the announced cell: 0 (coarsest) to 15; 7 is about 5 km². Raw coordinates are never announced.")
    Integer resolution,
    @Doc("The endpoints this node announces.")
    Endpoints endpoints,
    @Doc("Base URLs (http or https, e.g. https://10.0.0.2:8443) of the peers this node gossips announcements with.")
    List<String> peers,
    @Doc("Asking price per vCPU-hour, in the chain's smallest unit, announced and filtered on by maxPrice.")
    Long price,
    @Doc("How long an announcement is valid, in seconds.")
    Integer announcementTtlSeconds,
    @Doc("Re-announce after this many seconds even when nothing changed; must be less than announcementTtlSeconds.")
    Integer refreshSeconds,
    @Doc("Re-announce at once when free vCPUs, memory or cache change by more than this fraction (GPU counts: any change).")
    Double capacityChangeThreshold,
    @Doc("How far in the future (seconds) a received announcement's issuedAt may be before it is rejected.")
    Integer maxClockSkewSeconds,
    @Doc("Largest accepted announcement envelope, in bytes (larger ones are rejected unread).")
    Integer maxAnnouncementBytes,
    @Doc("Announcements accepted per node and minute (token bucket; the burst is the same number).")
    Integer announcementsPerMinute,
    @Doc("Most live announcements kept in the index; new nodes beyond it are refused.")
    Integer maxNodes,
    @Doc("Weight of measured RTT inflation in the ranking (0 ignores RTT); see docs/geo.md.")
    Double rttWeight) {

  public static final int DEFAULT_RESOLUTION = 7;
  public static final int DEFAULT_TTL_SECONDS = 1800;
  public static final int DEFAULT_REFRESH_SECONDS = 900;
  public static final double DEFAULT_CAPACITY_CHANGE_THRESHOLD = 0.10;
  public static final int DEFAULT_MAX_CLOCK_SKEW_SECONDS = 30;
  public static final int DEFAULT_MAX_ANNOUNCEMENT_BYTES = 4096;
  public static final int DEFAULT_ANNOUNCEMENTS_PER_MINUTE = 6;
  public static final int DEFAULT_MAX_NODES = 2_000_000;
  public static final double DEFAULT_RTT_WEIGHT = 1.0;
  /** Longest TTL accepted from anyone: a day. */
  public static final int MAX_TTL_SECONDS = 86_400;
  public static final int MAX_PEERS = 64;

  public GeoConfig {
    if (latitude != null || longitude != null) {
      Check.that(latitude != null, "latitude", "must be given together with geo.longitude");
      Check.that(longitude != null, "longitude", "must be given together with geo.latitude");
      Check.range("latitude", latitude, -90.0, 90.0);
      Check.range("longitude", longitude, -180.0, 180.0);
      Check.that(h3Cell == null, "h3Cell", "give either geo.latitude/longitude or geo.h3Cell, not both");
    }
    if (h3Cell != null) {
      Check.that(H3Cells.isValidCell(h3Cell), "h3Cell", "not an H3 cell address, got \"" + h3Cell + "\"");
    }
    if (mmdb != null) {
      Check.nonBlank("mmdb", mmdb);
    }
    if (publicAddress != null) {
      Check.that(IpLiterals.parse(publicAddress).isPresent(), "publicAddress",
          "not an IP address, got \"" + publicAddress + "\"");
    }
    resolution = Check.range("resolution", Check.orDefault(resolution, DEFAULT_RESOLUTION), 0, 15);
    endpoints = Check.orDefault(endpoints, Endpoints.NONE);
    peers = List.copyOf(Check.maxSize("peers", Check.orDefault(peers, List.of()), MAX_PEERS));
    for (int i = 0; i < peers.size(); i++) {
      checkPeer("peers[" + i + "]", peers.get(i));
    }
    price = Check.range("price", Check.orDefault(price, 0L), 0L, Announcement.MAX_SAFE_INTEGER);
    announcementTtlSeconds = Check.range("announcementTtlSeconds",
        Check.orDefault(announcementTtlSeconds, DEFAULT_TTL_SECONDS), 60, MAX_TTL_SECONDS);
    refreshSeconds = Check.range("refreshSeconds", Check.orDefault(refreshSeconds, DEFAULT_REFRESH_SECONDS),
        10, announcementTtlSeconds - 1);
    capacityChangeThreshold = Check.range("capacityChangeThreshold",
        Check.orDefault(capacityChangeThreshold, DEFAULT_CAPACITY_CHANGE_THRESHOLD), 0.0, 1.0);
    maxClockSkewSeconds = Check.range("maxClockSkewSeconds",
        Check.orDefault(maxClockSkewSeconds, DEFAULT_MAX_CLOCK_SKEW_SECONDS), 0, 3600);
    maxAnnouncementBytes = Check.range("maxAnnouncementBytes",
        Check.orDefault(maxAnnouncementBytes, DEFAULT_MAX_ANNOUNCEMENT_BYTES), 512, 65_536);
    announcementsPerMinute = Check.range("announcementsPerMinute",
        Check.orDefault(announcementsPerMinute, DEFAULT_ANNOUNCEMENTS_PER_MINUTE), 1, 600);
    maxNodes = Check.range("maxNodes", Check.orDefault(maxNodes, DEFAULT_MAX_NODES), 1, 50_000_000);
    rttWeight = Check.range("rttWeight", Check.orDefault(rttWeight, DEFAULT_RTT_WEIGHT), 0.0, 100.0);
  }

  /** The defaults: no location configured, no peers. */
  public static GeoConfig defaults() {
    return new GeoConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  private static void checkPeer(String field, String value) {
    Check.nonBlank(field, value);
    try {
      URI uri = new URI(value);
      Check.that(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
          && (uri.getRawPath() == null || uri.getRawPath().isEmpty() || "/".equals(uri.getRawPath()))
          && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null,
          field, "must be a base URL like https://10.0.0.2:8443 (no path, query or user info), got \"" + value + "\"");
    } catch (URISyntaxException e) {
      throw new InvalidValueException(field, "not a URL: \"" + value + "\" (" + e.getReason() + ")");
    }
  }
}
