package org.powerverse.appliance.internal.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.powerverse.appliance.internal.identity.NodeKeys;
import org.powerverse.platform.Check;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;
import org.powerverse.platform.Doc;

/**
 * The nodes {@code ./powerverse fleet} talks to, read from a YAML file an operator keeps:
 *
 * <pre>
 * nodes:
 *   - name: seat-001
 *     url: https://10.0.0.11:8443
 *     tokenFile: tokens/seat-001.token     # relative to this file
 *     fingerprint: "AB:CD:…"               # the node's TLS SHA-256, from its console
 * </pre>
 */
record FleetInventory(@Doc("The nodes, each at most once.") List<Node> nodes) {

  static final int MAX_NODES = 10_000;

  FleetInventory {
    nodes = List.copyOf(Check.maxSize("nodes", Check.orDefault(nodes, List.of()), MAX_NODES));
    Check.that(!nodes.isEmpty(), "nodes", "the inventory lists no nodes");
    Set<String> names = new HashSet<>();
    Set<String> urls = new HashSet<>();
    for (int i = 0; i < nodes.size(); i++) {
      Node node = nodes.get(i);
      Check.that(node != null, "nodes[" + i + "]", "empty entry");
      Check.that(names.add(node.name()), "nodes[" + i + "].name", "'" + node.name() + "' is listed twice");
      Check.that(urls.add(node.url().toString()), "nodes[" + i + "].url", node.url() + " is listed twice");
    }
  }

  /** One node: where its API is, the token to use, and the certificate to expect. */
  record Node(
      @Doc("A name for the tables (unique in the inventory).") String name,
      @Doc("The node's API base URL, https://HOST:PORT.") URI url,
      @Doc("File holding a bearer token for this node; relative paths are relative to the inventory.") Path tokenFile,
      @Doc("The node's TLS certificate SHA-256 fingerprint; unset: trust on first use via known_nodes.")
      String fingerprint) {

    Node {
      Check.nonBlank("name", name);
      Check.that(url != null, "url", "missing");
      Check.that("https".equals(url.getScheme()) && url.getHost() != null, "url",
          "must be https://HOST[:PORT], got " + url);
      Check.that(tokenFile != null, "tokenFile", "missing");
      if (fingerprint != null) {
        try {
          fingerprint = NodeKeys.normalizeFingerprint(fingerprint);
        } catch (IllegalArgumentException e) {
          Check.that(false, "fingerprint", e.getMessage());
        }
      }
    }
  }

  /** Reads an inventory; token files are resolved against the inventory's directory. */
  static FleetInventory load(Path file) throws ConfigException {
    FleetInventory read = ConfigLoader.load(file, FleetInventory.class);
    Path dir = file.toAbsolutePath().getParent();
    return new FleetInventory(read.nodes().stream()
        .map(n -> new Node(n.name(), n.url(), dir.resolve(n.tokenFile()), n.fingerprint()))
        .toList());
  }
}
