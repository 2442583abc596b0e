package org.powerverse.geo;

import java.util.List;

/**
 * What the rest of the node (and the HTTP layer) asks of edge-geo. Every method is cheap and
 * never blocks: callable from an event loop.
 */
public interface GeoService {

  /** This node's location, last announcement, known-node count and peers. */
  SelfView self();

  /** The nearest live nodes passing the query's filters, nearest (by rank) first. */
  List<NodeMatch> nearest(NearestQuery query);

  /**
   * Takes a signed announcement envelope from a peer (docs/geo.md): verifies it and, when
   * accepted, stores it and passes it on to the other peers.
   */
  Receipt receive(byte[] envelope);
}
