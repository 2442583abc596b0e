package org.powerverse.geo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.ConfigDocs;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;
import org.powerverse.platform.Doc;

public class GeoConfigTest {

  /** The node's config file, reduced to the section this module owns. */
  @Doc("Test root.")
  public record Root(@Doc("The geo section.") GeoConfig geo) {
    public Root {
      geo = geo == null ? GeoConfig.defaults() : geo;
    }
  }

  private static Root load(String name) throws ConfigException {
    return ConfigLoader.load(Path.of("src/test/resources/config", name), Root.class);
  }

  private static ConfigException failure(String name) {
    return assertThrows(ConfigException.class, () -> load(name));
  }

  @Test
  void defaultsAnnounceAtResolutionSevenWithoutLocationOrPeers() {
    GeoConfig defaults = ConfigLoader.defaults(Root.class).geo();
    assertEquals(GeoConfig.defaults(), defaults);
    assertEquals(7, defaults.resolution());
    assertEquals(List.of(), defaults.peers());
    assertEquals(1800, defaults.announcementTtlSeconds());
    assertEquals(Endpoints.NONE, defaults.endpoints());
  }

  @Test
  void validFileKeepsItsValues() throws Exception {
    GeoConfig geo = load("valid.yaml").geo();
    assertEquals(51.5, geo.latitude());
    assertEquals(8, geo.resolution());
    assertEquals("https://node1.example:8443", geo.endpoints().api());
    assertEquals(null, geo.endpoints().rpc());
    assertEquals(List.of("https://10.0.0.2:8443", "http://127.0.0.1:9000"), geo.peers());
    assertEquals(1200L, geo.price());
    assertEquals(300, geo.refreshSeconds());
  }

  @Test
  void latitudeNeedsLongitude() {
    ConfigException e = failure("latitude-without-longitude.yaml");
    assertEquals("geo.longitude", e.path());
    assertTrue(e.getMessage().contains("must be given together with geo.latitude"), e.getMessage());
  }

  @Test
  void pointAndCellAreExclusive() {
    ConfigException e = failure("both-point-and-cell.yaml");
    assertEquals("geo.h3Cell", e.path());
  }

  @Test
  void badCellIsNamed() {
    ConfigException e = failure("bad-cell.yaml");
    assertEquals("geo.h3Cell", e.path());
    assertTrue(e.getMessage().contains("not an H3 cell address, got \"87194ad30fffffz\""), e.getMessage());
  }

  @Test
  void badPeerIsNamedByIndex() {
    ConfigException e = failure("bad-peer.yaml");
    assertEquals("geo.peers[1]", e.path());
    assertTrue(e.getMessage().contains("must be a base URL"), e.getMessage());
  }

  @Test
  void refreshMustComeBeforeExpiry() {
    ConfigException e = failure("refresh-not-before-expiry.yaml");
    assertEquals("geo.refreshSeconds", e.path());
    assertTrue(e.getMessage().contains("must be between 10 and 599, got 600"), e.getMessage());
  }

  @Test
  void publicAddressMustBeAnIpLiteral() {
    ConfigException e = failure("bad-public-address.yaml");
    assertEquals("geo.publicAddress", e.path());
  }

  @Test
  void unknownKeyIsRejected() {
    ConfigException e = failure("unknown-key.yaml");
    assertEquals("geo.resolutoin", e.path());
  }

  @Test
  void everyKeyIsDocumented() {
    String docs = ConfigDocs.markdown(Root.class, "# geo\n");
    assertTrue(docs.contains("| `geo.resolution` | integer | `7` |"), docs);
    assertTrue(docs.contains("| `geo.endpoints.api` | string | (none) |"), docs);
  }
}
