package org.powerverse.cdn;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * What the content cache offers the node: the operations behind {@code /api/v1/cdn}. Every
 * method may block (LMDB writes, upstream fetches); call them off the event loop.
 */
public interface CdnService {

  /**
   * Imports a file streamed from {@code content} as UnixFS under {@code profile}; pins it when
   * asked. Returns its CID, as `ipfs add` / ipfs-car would give it.
   */
  Added addFile(InputStream content, UnixfsProfile profile, boolean pin) throws IOException;

  /** Imports a CAR (v1 or v2), verifying every block; pins its roots when asked. */
  Imported importCar(InputStream car, boolean pin) throws IOException;

  /** Pins the DAG under {@code root}, fetching what is missing from the upstreams. */
  Pin pin(Cid root);

  /** Removes a pin; false when there was none. */
  boolean unpin(Cid root);

  Optional<Pin> findPin(Cid root);

  List<Pin> pins();

  CdnStats stats();

  /** Evicts the unpinned blocks of {@code root}'s DAG, or every unpinned block when empty. */
  Evicted evict(Optional<Cid> root);

  /**
   * A file added.
   *
   * @param cid its root CID
   * @param profile the UnixFS profile it was imported with
   * @param size bytes of file content
   * @param blocks blocks produced
   * @param pinned whether it is pinned
   */
  record Added(String cid, String profile, long size, long blocks, boolean pinned) {}

  /**
   * A CAR imported.
   *
   * @param roots the CAR's roots
   * @param blocks sections read (duplicates included)
   * @param bytes bytes of block data read
   * @param pinned whether the roots are pinned
   */
  record Imported(List<String> roots, long blocks, long bytes, boolean pinned) {}

  /**
   * Blocks removed by an eviction.
   *
   * @param blocks how many
   * @param bytes their bytes
   */
  record Evicted(long blocks, long bytes) {}
}
