package org.powerverse.cdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;

/** The {@code cdn} section through the platform's strict loader (fixtures in src/test/resources/config). */
class CdnConfigTest {

  private static CdnConfig load(String name) throws ConfigException {
    return ConfigLoader.parse(name, TestData.resourceText("config/" + name), CdnConfig.class);
  }

  @Test
  void emptySectionGivesTheDefaults() throws ConfigException {
    CdnConfig config = ConfigLoader.parse("empty", "", CdnConfig.class);
    assertEquals(CdnConfig.defaults(), config);
    assertEquals(8080, config.gatewayPort());
    assertEquals(10L << 30, config.maxBytes());
    assertEquals(List.of(), config.upstreams());
    assertEquals(UnixfsProfile.UNIXFS_V1_2025, config.profile());
    assertTrue(config.enabled());
  }

  @Test
  void readsEveryKey() throws ConfigException {
    CdnConfig config = load("cdn-valid.yaml");
    assertEquals(8081, config.gatewayPort());
    assertEquals(1L << 30, config.maxBytes());
    assertEquals(List.of(URI.create("https://trustless-gateway.link"), URI.create("http://127.0.0.1:9090")), config.upstreamUris());
    assertEquals(10, config.originTimeoutSeconds());
    assertEquals(UnixfsProfile.UNIXFS_V0_2015, config.profile());
  }

  @Test
  void badValuesNameTheirKey() {
    assertEquals("upstreams[1]", assertThrows(ConfigException.class, () -> load("cdn-bad-upstream.yaml")).path());
    assertEquals("tlsKeyPath", assertThrows(ConfigException.class, () -> load("cdn-half-tls.yaml")).path());
    ConfigException profile = assertThrows(ConfigException.class, () -> load("cdn-bad-profile.yaml"));
    assertEquals("defaultProfile", profile.path());
    assertTrue(profile.getMessage().contains("unixfs-v1-2025"), profile.getMessage());
    assertEquals("maxByte", assertThrows(ConfigException.class, () -> load("cdn-unknown-key.yaml")).path());
  }
}
