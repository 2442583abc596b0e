package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multicodec;

/**
 * A decoded block as DAG readers see it: its kind (UnixFS type or codec), its bytes, and the
 * dag-pb, UnixFS or DAG-CBOR structure inside.
 *
 * @param cid the block's CID
 * @param block the block's bytes (a view; valid while its source is)
 * @param kind what the block is
 * @param pb the dag-pb node; null unless the codec is dag-pb
 * @param unixfs the UnixFS data; null unless a dag-pb node carries valid UnixFS
 * @param cbor the decoded DAG-CBOR value; null unless the codec is dag-cbor
 */
public record DagNode(Cid cid, ByteBuffer block, Kind kind, PbNode pb, UnixfsData unixfs, Object cbor) {

  /** What a block is, for pathing and serving. */
  public enum Kind {
    /** A raw block: UnixFS reads it as a whole file. */
    RAW,
    /** A UnixFS file node (dag-pb, Type File or Raw). */
    FILE,
    /** A UnixFS basic directory. */
    DIRECTORY,
    /** A UnixFS HAMT-sharded directory (a shard). */
    HAMT_SHARD,
    /** A UnixFS symlink. */
    SYMLINK,
    /** dag-pb that is not UnixFS (or UnixFS metadata). */
    DAG_PB,
    /** DAG-CBOR. */
    DAG_CBOR,
    /** A codec the node does not interpret. */
    OTHER;

    public boolean isDirectory() {
      return this == DIRECTORY || this == HAMT_SHARD;
    }

    public boolean isFile() {
      return this == RAW || this == FILE;
    }
  }

  /** Decodes {@code block}; throws IllegalArgumentException when it is not valid for its codec. */
  public static DagNode decode(Cid cid, ByteBuffer block) {
    long codec = cid.codec();
    if (codec == Multicodec.RAW.code()) {
      return new DagNode(cid, block, Kind.RAW, null, null, null);
    }
    if (codec == Multicodec.DAG_PB.code()) {
      PbNode pb = PbNode.decode(block);
      if (pb.data() == null) {
        return new DagNode(cid, block, Kind.DAG_PB, pb, null, null);
      }
      UnixfsData unixfs;
      try {
        unixfs = UnixfsData.decode(pb.data());
      } catch (IllegalArgumentException e) {
        return new DagNode(cid, block, Kind.DAG_PB, pb, null, null);
      }
      Kind kind = switch (unixfs.type()) {
        case RAW, FILE -> Kind.FILE;
        case DIRECTORY -> Kind.DIRECTORY;
        case HAMT_SHARD -> Kind.HAMT_SHARD;
        case SYMLINK -> Kind.SYMLINK;
        case METADATA -> Kind.DAG_PB;
      };
      if (kind == Kind.FILE && unixfs.blocksizes().size() != pb.links().size()) {
        // UnixFS spec, "sister-lists": a parser MUST reject the node.
        throw new UnixfsData.UnixfsException("UnixFS file " + cid + " has " + pb.links().size()
            + " links but " + unixfs.blocksizes().size() + " blocksizes");
      }
      return new DagNode(cid, block, kind, pb, unixfs, null);
    }
    if (codec == Multicodec.DAG_CBOR.code()) {
      return new DagNode(cid, block, Kind.DAG_CBOR, null, null, DagCbor.decode(block));
    }
    return new DagNode(cid, block, Kind.OTHER, null, null, null);
  }

  /** Bytes of file content under this node (a file, a raw block or a symlink's target). */
  public long fileSize() {
    return switch (kind) {
      case RAW -> block.remaining();
      case FILE -> unixfs.fileSize();
      case SYMLINK -> unixfs.dataLength();
      default -> throw new IllegalStateException(cid + " is a " + kind + ", not a file");
    };
  }

  /** Every link of the block, in block order (dag-pb links, DAG-CBOR links in document order). */
  public List<Cid> links() {
    if (pb != null) {
      List<Cid> out = new ArrayList<>(pb.links().size());
      pb.links().forEach(link -> out.add(link.hash()));
      return out;
    }
    if (cbor != null) {
      List<Cid> out = new ArrayList<>();
      DagCbor.forEachLink(cbor, out::add);
      return out;
    }
    return List.of();
  }
}
