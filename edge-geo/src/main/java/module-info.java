/**
 * edge-geo: where this node is (config, else GeoIP, else unknown; announced only as an H3 cell),
 * signed announcements of what it offers, gossip between configured peers, and the nearest-node
 * index behind {@code /api/v1/geo}. Only {@code org.powerverse.geo} is API.
 */
module org.powerverse.geo {
  requires transitive org.powerverse.platform;
  requires transitive info.picocli;
  requires h3;
  requires com.maxmind.geoip2;
  requires com.maxmind.db;
  requires java.json.canonicalization;
  requires io.vertx.web.client;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports org.powerverse.geo;

  opens org.powerverse.geo to com.fasterxml.jackson.databind, info.picocli;
}
