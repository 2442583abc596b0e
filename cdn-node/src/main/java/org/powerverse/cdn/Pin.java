package org.powerverse.cdn;

import java.time.Instant;
import java.util.Objects;

/**
 * A pinned DAG: its blocks are never evicted.
 *
 * @param cid the root, as pinned
 * @param pinnedAt when it was pinned
 * @param blocks distinct blocks in the DAG
 * @param bytes bytes of those blocks
 */
public record Pin(String cid, Instant pinnedAt, long blocks, long bytes) {

  public Pin {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(pinnedAt, "pinnedAt");
  }
}
