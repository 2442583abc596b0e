package org.powerverse.cdn;

import java.net.URI;
import java.util.List;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/** The {@code cdn} config section. */
@Doc("The content cache: blockstore, trustless gateway and origin fetch.")
public record CdnConfig(
    @Doc("Whether the node runs the content cache and its gateway.") Boolean enabled,
    @Doc("Address the gateway listens on.") String gatewayHost,
    @Doc("Port of the gateway's own HTTP listener (plain HTTP unless TLS files are set; 0 picks a free port).")
        Integer gatewayPort,
    @Doc("Most bytes of blocks the cache keeps; unpinned blocks beyond it are evicted (pinned ones count but stay).")
        Long maxBytes,
    @Doc("Upstream trustless gateways to fetch misses from, tried in order (http or https base URLs, e.g. `https://trustless-gateway.link`). Empty: the gateway serves only what it holds.")
        List<String> upstreams,
    @Doc("Seconds an upstream fetch may take before the client gets 504.") Integer originTimeoutSeconds,
    @Doc("UnixFS profile for files added through the API: `unixfs-v1-2025` or `unixfs-v0-2015`.") String defaultProfile,
    @Doc("PEM certificate chain for HTTPS on the gateway; with tlsKeyPath, or neither.") String tlsCertPath,
    @Doc("PEM private key for HTTPS on the gateway.") String tlsKeyPath) {

  public static final String DEFAULT_GATEWAY_HOST = "0.0.0.0";
  public static final int DEFAULT_GATEWAY_PORT = 8080;
  public static final long DEFAULT_MAX_BYTES = 10L << 30;
  public static final int DEFAULT_ORIGIN_TIMEOUT_SECONDS = 30;

  public CdnConfig {
    enabled = Check.orDefault(enabled, true);
    gatewayHost = Check.nonBlank("gatewayHost", Check.orDefault(gatewayHost, DEFAULT_GATEWAY_HOST));
    gatewayPort = Check.range("gatewayPort", Check.orDefault(gatewayPort, DEFAULT_GATEWAY_PORT), 0, 65535);
    maxBytes = Check.range("maxBytes", Check.orDefault(maxBytes, DEFAULT_MAX_BYTES), 1L << 20, 1L << 50);
    upstreams = List.copyOf(Check.orDefault(upstreams, List.of()));
    for (int i = 0; i < upstreams.size(); i++) {
      checkUpstream("upstreams[" + i + "]", upstreams.get(i));
    }
    originTimeoutSeconds = Check.range("originTimeoutSeconds",
        Check.orDefault(originTimeoutSeconds, DEFAULT_ORIGIN_TIMEOUT_SECONDS), 1, 600);
    defaultProfile = Check.orDefault(defaultProfile, UnixfsProfile.DEFAULT.profileName());
    try {
      UnixfsProfile.byName(defaultProfile);
    } catch (IllegalArgumentException e) {
      Check.that(false, "defaultProfile", e.getMessage());
    }
    Check.that((tlsCertPath == null) == (tlsKeyPath == null), tlsCertPath == null ? "tlsCertPath" : "tlsKeyPath",
        "set both tlsCertPath and tlsKeyPath for HTTPS, or neither for plain HTTP");
  }

  /** All defaults: what an empty section gives. */
  public static CdnConfig defaults() {
    return new CdnConfig(null, null, null, null, null, null, null, null, null);
  }

  private static void checkUpstream(String field, String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (java.net.URISyntaxException | NullPointerException e) {
      Check.that(false, field, "not a URL: \"" + value + "\"");
      return;
    }
    Check.that(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null,
        field, "must be an http or https URL with a host, got \"" + value + "\"");
    Check.that(uri.getQuery() == null && uri.getFragment() == null, field, "must have no query or fragment, got \"" + value + "\"");
  }

  /** The upstreams as base URIs without a trailing slash. */
  public List<URI> upstreamUris() {
    return upstreams.stream().map(u -> URI.create(u.endsWith("/") ? u.substring(0, u.length() - 1) : u)).toList();
  }

  public UnixfsProfile profile() {
    return UnixfsProfile.byName(defaultProfile);
  }
}
