package org.powerverse.geo;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /api/v1/geo/self} shows: who this node is, where it says it is and why, what it
 * announced last, how many nodes it knows and how gossip with its peers goes.
 *
 * @param nodeId this node's id
 * @param location the resolved location and its source
 * @param announcement the last announcement made, null while the location is unknown
 * @param knownNodes live announcements in the index (this node's own included)
 * @param peers one entry per configured peer
 */
public record SelfView(String nodeId, Location location, Announcement announcement, int knownNodes, List<PeerStatus> peers) {

  public SelfView {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(location, "location");
    peers = List.copyOf(peers);
  }
}
