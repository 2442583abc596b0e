package org.powerverse.cdn.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.powerverse.cdn.Cid;

/** Where produced blocks go: a CAR file, the blockstore, or nowhere when only the CID is wanted. */
@FunctionalInterface
public interface BlockSink {

  /** Takes a block; {@code data} is valid only during the call (copy it to keep it). */
  void put(Cid cid, ByteBuffer data) throws IOException;

  /** Discards every block (computing a CID). */
  BlockSink DISCARD = (cid, data) -> { };
}
