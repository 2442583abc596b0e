package org.powerverse.cdn.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multicodec;
import org.powerverse.cdn.Multihash;
import org.powerverse.cdn.UnixfsProfile;

/**
 * Turns a byte stream into a UnixFS file DAG by a profile of IPIP-0499: fixed-size chunks and the
 * {@code balanced} layout of boxo's {@code importer/balanced/builder.go} (all leaves at one depth;
 * a node is committed once it has {@code maxLinks} children and more data follows). Streaming:
 * at most one chunk and one pending link list per tree level are held; blocks go to the sink as
 * soon as they are complete, children before their parents.
 */
public final class UnixfsImporter {

  /**
   * What an import produced.
   *
   * @param root the file's CID
   * @param fileSize bytes of file content
   * @param dagSize bytes of all blocks (the root's Tsize)
   * @param blocks number of blocks produced
   */
  public record Result(Cid root, long fileSize, long dagSize, long blocks) {}

  /**
   * The layout parameters of a profile; tests use small ones to build deep trees from small files.
   */
  public record Params(int cidVersion, boolean rawLeaves, int chunkSize, int maxLinks) {
    public Params {
      if (cidVersion != 0 && cidVersion != 1) {
        throw new IllegalArgumentException("CID version must be 0 or 1, got " + cidVersion);
      }
      if (cidVersion == 0 && rawLeaves) {
        throw new IllegalArgumentException("raw leaves need CIDv1");
      }
      if (chunkSize < 1 || maxLinks < 2) {
        throw new IllegalArgumentException("chunk size must be >= 1 and links per node >= 2, got " + chunkSize + ", " + maxLinks);
      }
    }

    public static Params of(UnixfsProfile profile) {
      return new Params(profile.cidVersion(), profile.rawLeaves(), profile.chunkSize(), profile.maxLinks());
    }
  }

  /** A finished child: what its parent's link and blocksizes need. */
  private record Child(Cid cid, long fileSize, long tsize) {}

  private final Params profile;
  private final BlockSink sink;
  private final MessageDigest sha256 = Multihash.sha256Digest();
  /** levels.get(0) holds leaves, levels.get(i) nodes of depth i, each awaiting a parent. */
  private final List<List<Child>> levels = new ArrayList<>();
  private long blocks;

  private UnixfsImporter(Params profile, BlockSink sink) {
    this.profile = Objects.requireNonNull(profile, "profile");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Imports one file from {@code in} (read to its end, not closed). */
  public static Result importFile(InputStream in, UnixfsProfile profile, BlockSink sink) throws IOException {
    return importFile(in, Params.of(profile), sink);
  }

  public static Result importFile(InputStream in, Params params, BlockSink sink) throws IOException {
    return new UnixfsImporter(params, sink).run(in);
  }

  private Result run(InputStream in) throws IOException {
    byte[] chunk = new byte[profile.chunkSize()];
    long fileSize = 0;
    boolean any = false;
    int length;
    while ((length = in.readNBytes(chunk, 0, chunk.length)) > 0) {
      any = true;
      fileSize += length;
      add(0, leaf(ByteBuffer.wrap(chunk, 0, length)));
    }
    if (!any) {
      // boxo balanced.Layout: an empty file is one empty leaf.
      add(0, leaf(ByteBuffer.allocate(0)));
    }
    Child root = finish();
    return new Result(root.cid, fileSize, root.tsize, blocks);
  }

  private void add(int depth, Child child) throws IOException {
    while (levels.size() <= depth) {
      levels.add(new ArrayList<>());
    }
    List<Child> level = levels.get(depth);
    if (level.size() == profile.maxLinks()) {
      // Full, and more data follows: commit it and start a sibling (boxo fillNodeRec).
      add(depth + 1, commit(level));
      level.clear();
    }
    level.add(child);
  }

  private Child finish() throws IOException {
    for (int depth = 0; ; depth++) {
      List<Child> level = levels.get(depth);
      boolean top = depth == levels.size() - 1;
      if (top && level.size() == 1) {
        // A single chunk is its own root; a filled top node is the root without a wrapper.
        return level.get(0);
      }
      if (!level.isEmpty()) {
        Child parent = commit(level);
        level.clear();
        add(depth + 1, parent);
      }
    }
  }

  private Child leaf(ByteBuffer chunk) throws IOException {
    int length = chunk.remaining();
    if (profile.rawLeaves()) {
      Cid cid = Cid.v1(Multicodec.RAW, hash(chunk));
      emit(cid, chunk);
      return new Child(cid, length, length);
    }
    byte[] data = new byte[length];
    chunk.duplicate().get(data);
    byte[] block = PbNode.of(List.of(), UnixfsData.file(length == 0 ? null : data, length, List.of()).encode()).encode();
    Cid cid = dagPbCid(block);
    emit(cid, ByteBuffer.wrap(block));
    return new Child(cid, length, block.length);
  }

  private Child commit(List<Child> children) throws IOException {
    List<PbLink> links = new ArrayList<>(children.size());
    List<Long> blocksizes = new ArrayList<>(children.size());
    long fileSize = 0;
    long childrenTsize = 0;
    for (Child child : children) {
      // Empty names, as boxo's AddNodeLink("") and helia's file builder write them.
      links.add(new PbLink(child.cid, "", child.tsize));
      blocksizes.add(child.fileSize);
      fileSize += child.fileSize;
      childrenTsize += child.tsize;
    }
    byte[] block = PbNode.of(links, UnixfsData.file(null, fileSize, blocksizes).encode()).encode();
    Cid cid = dagPbCid(block);
    emit(cid, ByteBuffer.wrap(block));
    return new Child(cid, fileSize, block.length + childrenTsize);
  }

  private Cid dagPbCid(byte[] block) {
    Multihash hash = hash(ByteBuffer.wrap(block));
    return profile.cidVersion() == 0 ? Cid.v0(hash) : Cid.v1(Multicodec.DAG_PB, hash);
  }

  private Multihash hash(ByteBuffer data) {
    sha256.update(data.duplicate());
    return Multihash.ofSha256Digest(sha256.digest());
  }

  private void emit(Cid cid, ByteBuffer data) throws IOException {
    blocks++;
    sink.put(cid, data.asReadOnlyBuffer());
  }
}
