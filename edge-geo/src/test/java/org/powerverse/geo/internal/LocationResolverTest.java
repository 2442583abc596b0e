package org.powerverse.geo.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.powerverse.geo.GeoConfig;
import org.powerverse.geo.Location;
import org.powerverse.geo.LocationSource;
import org.powerverse.geo.TestData;

class LocationResolverTest {

  private static GeoConfig config(Double lat, Double lon, String cell, String mmdb, String address, Integer resolution) {
    return new GeoConfig(lat, lon, cell, mmdb, address, resolution, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  private static final LocationResolver NO_DETECTION = new LocationResolver(PublicAddressDetector.none());

  private static String city() {
    return TestData.maxmind("GeoIP2-City-Test.mmdb").toString();
  }

  @Test
  void configuredPointWinsAndIsAnnouncedAsACell() {
    Location location = NO_DETECTION.resolve(config(51.5142, -0.0931, null, city(), "8.8.8.8", 7));
    assertEquals(LocationSource.config, location.source());
    assertEquals("87194ad30ffffff", location.h3Cell());
    assertEquals(7, location.resolution());
  }

  @Test
  void configuredCellIsCoarsenedToTheResolutionButNeverRefined() {
    String fine = H3Cells.cell(51.5142, -0.0931, 9);
    Location coarse = NO_DETECTION.resolve(config(null, null, fine.toUpperCase(), null, null, 7));
    assertEquals("87194ad30ffffff", coarse.h3Cell());
    Location kept = NO_DETECTION.resolve(config(null, null, "83194afffffffff", null, null, 7));
    assertEquals("83194afffffffff", kept.h3Cell());
    assertEquals(3, kept.resolution());
  }

  @Test
  void geoIpOfTheConfiguredAddressSaysWhatItUsed() {
    // accuracy_radius 10 km (README): the finest resolution whose average edge is at least 10 km is 4.
    Location location = NO_DETECTION.resolve(config(null, null, null, city(), "81.2.69.142", 7));
    assertEquals(LocationSource.geoip, location.source());
    assertEquals(4, location.resolution());
    assertEquals(H3Cells.cell(51.5142, -0.0931, 4), location.h3Cell());
    assertTrue(location.detail().contains("GeoIP lookup of 81.2.69.142"), location.detail());
    assertTrue(location.detail().contains("London, GB"), location.detail());
  }

  @Test
  void geoIpUsesTheDetectedAddressWhenNoneIsConfigured() throws Exception {
    InetAddress milton = InetAddress.getByName("216.160.83.56");
    LocationResolver resolver = new LocationResolver(() -> Optional.of(milton));
    Location location = resolver.resolve(config(null, null, null, city(), null, 2));
    assertEquals(LocationSource.geoip, location.source());
    assertEquals(H3Cells.cell(47.2513, -122.3149, 2), location.h3Cell());
  }

  @Test
  void addressMissingFromTheDatabaseLeavesTheLocationUnknown() {
    Location location = NO_DETECTION.resolve(config(null, null, null, city(), "8.8.8.8", 7));
    assertEquals(LocationSource.unknown, location.source());
    assertNull(location.h3Cell());
    assertTrue(location.detail().contains("8.8.8.8 is not in the GeoIP database"), location.detail());
  }

  @Test
  void countryOnlyRecordLeavesTheLocationUnknown() {
    Location location = NO_DETECTION.resolve(config(null, null, null,
        TestData.maxmind("GeoIP2-Country-Test.mmdb").toString(), "81.2.69.160", 7));
    assertEquals(LocationSource.unknown, location.source());
    assertTrue(location.detail().contains("knows only the country of 81.2.69.160 (GB)"), location.detail());
  }

  @Test
  void noPublicAddressSaysToConfigureOne() {
    Location location = NO_DETECTION.resolve(config(null, null, null, city(), null, 7));
    assertEquals(LocationSource.unknown, location.source());
    assertTrue(location.detail().contains("set geo.publicAddress"), location.detail());
  }

  @Test
  void nothingConfiguredIsUnknown() {
    Location location = NO_DETECTION.resolve(GeoConfig.defaults());
    assertEquals(LocationSource.unknown, location.source());
    assertEquals("no geo.latitude/longitude, geo.h3Cell or geo.mmdb configured", location.detail());
  }

  @Test
  void unreadableDatabaseIsUnknownWithTheReason() {
    Location location = NO_DETECTION.resolve(config(null, null, null,
        TestData.maxmind("GeoLite2-ASN-Test.mmdb").toString(), "81.2.69.160", 7));
    assertEquals(LocationSource.unknown, location.source());
    assertTrue(location.detail().contains("GeoLite2-ASN database, which has no locations"), location.detail());
  }

  @Test
  void privateAndLoopbackAddressesAreNotPublic() throws Exception {
    for (String ip : new String[] {"10.1.2.3", "192.168.0.1", "172.16.5.4", "100.64.0.1", "127.0.0.1", "::1", "fe80::1", "fd00::1"}) {
      assertTrue(!IpLiterals.isGlobalUnicast(IpLiterals.parse(ip).orElseThrow()), ip);
    }
    assertTrue(IpLiterals.isGlobalUnicast(IpLiterals.parse("81.2.69.160").orElseThrow()));
    assertTrue(IpLiterals.isGlobalUnicast(IpLiterals.parse("2001:480:10::1").orElseThrow()));
    assertTrue(IpLiterals.parse("localhost").isEmpty());
    assertTrue(IpLiterals.parse("01.2.3.4").isEmpty());
  }
}
