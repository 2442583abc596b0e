package org.powerverse.geo;

import java.net.URI;
import java.net.URISyntaxException;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/**
 * Where clients reach a node: its REST API, its CDN gateway and its chain RPC. Each is an absolute
 * http(s) URL, or absent when the node does not offer it. The same record is config
 * ({@code geo.endpoints}) and part of the signed announcement.
 */
@Doc("The endpoints this node announces.")
public record Endpoints(
    @Doc("Base URL of this node's REST API (https://host:port).") String api,
    @Doc("Base URL of this node's CDN gateway (trustless IPFS gateway).") String gateway,
    @Doc("URL of this node's chain JSON-RPC endpoint.") String rpc) {

  /** Longest URL accepted, so an announcement stays small (see {@link Announcement#MAX_CANONICAL_BYTES}). */
  public static final int MAX_URL_LENGTH = 256;

  public static final Endpoints NONE = new Endpoints(null, null, null);

  public Endpoints {
    checkUrl("api", api);
    checkUrl("gateway", gateway);
    checkUrl("rpc", rpc);
  }

  private static void checkUrl(String field, String value) {
    if (value == null) {
      return;
    }
    Check.that(value.length() <= MAX_URL_LENGTH, field, "must be at most " + MAX_URL_LENGTH + " characters, got " + value.length());
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new org.powerverse.platform.InvalidValueException(field, "not a URL: \"" + value + "\" (" + e.getReason() + ")");
    }
    Check.that(("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
        && uri.getRawUserInfo() == null && uri.getRawQuery() == null && uri.getRawFragment() == null,
        field, "must be an absolute http(s) URL without user info, query or fragment, got \"" + value + "\"");
  }
}
