package org.powerverse.cdn.internal;

import java.util.Optional;
import java.nio.ByteBuffer;
import org.powerverse.cdn.Cid;

/**
 * Where DAG readers get blocks: the blockstore (a snapshot of it), a CAR file, or the origin. The
 * bytes returned were verified against their CID when they entered the node.
 */
@FunctionalInterface
public interface BlockSource {

  /** The block's bytes, or empty when this source does not have it; valid while the source is. */
  Optional<ByteBuffer> get(Cid cid);
}
