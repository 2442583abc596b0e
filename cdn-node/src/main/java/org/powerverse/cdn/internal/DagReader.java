package org.powerverse.cdn.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.powerverse.cdn.Cid;

/**
 * Reads DAGs from a {@link BlockSource}: UnixFS path resolution (directories, HAMT shards,
 * DAG-CBOR links), file byte ranges that touch only the blocks they need, directory listings, and
 * the block walks behind the trustless gateway's {@code dag-scope}s. Each walk reports the blocks
 * it touches, in depth-first order, so a CAR response is exactly the blocks a verifier needs.
 * A block the source lacks ends the walk with {@link MissingBlockException}.
 */
public final class DagReader {

  /** Deeper DAGs than this are refused rather than walked (a guard against hostile DAGs). */
  static final int MAX_DEPTH = 512;

  private final BlockSource source;

  public DagReader(BlockSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /** How much of the DAG under the end of a path a walk covers (trustless gateway spec, "dag-scope"). */
  public enum Scope {
    /** The terminal block only. */
    BLOCK,
    /** What it takes to read the terminal entity: a whole file, a directory's shards. */
    ENTITY,
    /** The whole DAG under the terminal block. */
    ALL
  }

  /** Consumes file content; slices are views, valid while the source is. */
  @FunctionalInterface
  public interface DataSink {
    void data(ByteBuffer slice) throws IOException;
  }

  /** An entry of a UnixFS directory. */
  public record Entry(String name, Cid cid, long tsize) {}

  /**
   * A resolved content path.
   *
   * @param terminal the block at the end of the path
   * @param roots the CID after each path segment, the root first (the path gateway's {@code X-Ipfs-Roots})
   */
  public record Resolved(DagNode terminal, List<Cid> roots) {}

  /** The path does not exist in the DAG (a missing name, or a path into a file). */
  public static final class PathNotFoundException extends RuntimeException {
    public PathNotFoundException(String message) {
      super(message, null, false, false);
    }
  }

  /** Loads and decodes a block; identity CIDs carry their own bytes. */
  public DagNode node(Cid cid) {
    ByteBuffer block;
    if (cid.isIdentity()) {
      block = ByteBuffer.wrap(cid.multihash().digest());
    } else {
      block = source.get(cid).orElseThrow(() -> new MissingBlockException(cid));
    }
    return DagNode.decode(cid, block);
  }

  /**
   * Resolves {@code segments} (already percent-decoded) from {@code root}. {@code pathBlocks} sees
   * every block traversed before the terminal one, in order: the root, directories, HAMT shards.
   */
  public Resolved resolve(Cid root, List<String> segments, Consumer<DagNode> pathBlocks) {
    DagNode node = node(root);
    List<Cid> roots = new ArrayList<>();
    roots.add(root);
    Object cborPosition = null; // where inside the current DAG-CBOR block the path stands
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      String where = "/" + String.join("/", segments.subList(0, i + 1));
      Cid next;
      switch (node.kind()) {
        case DIRECTORY -> {
          pathBlocks.accept(node);
          next = directoryLink(node, segment).orElseThrow(() -> new PathNotFoundException("no link named \"" + segment + "\" at " + where));
        }
        case HAMT_SHARD -> {
          pathBlocks.accept(node);
          next = hamtLookup(node, segment, pathBlocks).orElseThrow(() -> new PathNotFoundException("no link named \"" + segment + "\" at " + where));
        }
        case DAG_CBOR -> {
          Object position = cborPosition == null ? node.cbor() : cborPosition;
          Object child = cborChild(position, segment).orElseThrow(() -> new PathNotFoundException("no field \"" + segment + "\" at " + where));
          if (!(child instanceof Cid link)) {
            cborPosition = child;
            roots.add(node.cid());
            continue;
          }
          pathBlocks.accept(node);
          next = link;
        }
        default -> throw new PathNotFoundException("cannot resolve " + where + ": " + node.cid() + " is a " + node.kind() + ", which has no named children");
      }
      cborPosition = null;
      node = node(next);
      roots.add(next);
    }
    if (cborPosition != null) {
      // Pathing ends inside a DAG-CBOR block at a value that is not a link (path gateway spec).
      throw new PathNotFoundException("path ends inside DAG-CBOR block " + node.cid() + " at a value that is not a link");
    }
    return new Resolved(node, List.copyOf(roots));
  }

  private static Optional<Object> cborChild(Object position, String segment) {
    if (position instanceof Map<?, ?> map) {
      return map.containsKey(segment) ? Optional.ofNullable(map.get(segment)) : Optional.empty();
    }
    if (position instanceof List<?> list && segment.matches("0|[1-9][0-9]{0,8}")) {
      int index = Integer.parseInt(segment);
      return index < list.size() ? Optional.ofNullable(list.get(index)) : Optional.empty();
    }
    return Optional.empty();
  }

  /** The first link named {@code name} (UnixFS spec: readers take the first of duplicates). */
  private static Optional<Cid> directoryLink(DagNode dir, String name) {
    for (PbLink link : dir.pb().links()) {
      if (name.equals(link.name())) {
        return Optional.of(link.hash());
      }
    }
    return Optional.empty();
  }

  /** Finds {@code name} in a HAMT; {@code shards} sees each sub-shard visited on the way. */
  public Optional<Cid> hamtLookup(DagNode shard, String name, Consumer<DagNode> shards) {
    long hash = Hamt.hash(name);
    DagNode current = shard;
    for (int depth = 0; ; depth++) {
      Hamt hamt = Hamt.of(current.unixfs());
      String prefix = hamt.prefix(hash, depth);
      PbLink found = null;
      for (PbLink link : current.pb().links()) {
        if (link.nameOrEmpty().startsWith(prefix)) {
          found = link;
          break;
        }
      }
      if (found == null) {
        return Optional.empty();
      }
      String linkName = found.nameOrEmpty();
      if (!hamt.isShardLink(linkName)) {
        return linkName.substring(prefix.length()).equals(name) ? Optional.of(found.hash()) : Optional.empty();
      }
      current = node(found.hash());
      if (current.kind() != DagNode.Kind.HAMT_SHARD) {
        throw new UnixfsData.UnixfsException("HAMT link " + linkName + " of " + shard.cid() + " leads to a " + current.kind());
      }
      shards.accept(current);
    }
  }

  /** The entries of a directory (a HAMT's across all its shards), in block order. */
  public List<Entry> entries(DagNode dir) {
    List<Entry> out = new ArrayList<>();
    if (dir.kind() == DagNode.Kind.DIRECTORY) {
      for (PbLink link : dir.pb().links()) {
        out.add(new Entry(link.nameOrEmpty(), link.hash(), link.tsizeOrZero()));
      }
    } else if (dir.kind() == DagNode.Kind.HAMT_SHARD) {
      hamtEntries(dir, out, 0);
    } else {
      throw new IllegalArgumentException(dir.cid() + " is a " + dir.kind() + ", not a directory");
    }
    return out;
  }

  private void hamtEntries(DagNode shard, List<Entry> out, int depth) {
    checkDepth(depth, shard);
    Hamt hamt = Hamt.of(shard.unixfs());
    for (PbLink link : shard.pb().links()) {
      String name = link.nameOrEmpty();
      if (hamt.isShardLink(name)) {
        hamtEntries(node(link.hash()), out, depth + 1);
      } else if (name.length() > hamt.prefixWidth()) {
        out.add(new Entry(name.substring(hamt.prefixWidth()), link.hash(), link.tsizeOrZero()));
      } else {
        throw new UnixfsData.UnixfsException("HAMT link name \"" + name + "\" in " + shard.cid() + " is shorter than its prefix");
      }
    }
  }

  /**
   * Reads bytes {@code [from, to)} of a file (or raw block, or symlink target). {@code blocks} sees
   * each block the range needs, depth-first; {@code data} (nullable) gets the content in order.
   */
  public void readFile(DagNode file, long from, long to, Consumer<DagNode> blocks, DataSink data) {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad file range [" + from + ", " + to + ")");
    }
    readFile(file, from, to, blocks, data, 0);
  }

  private void readFile(DagNode node, long from, long to, Consumer<DagNode> blocks, DataSink data, int depth) {
    checkDepth(depth, node);
    blocks.accept(node);
    switch (node.kind()) {
      case RAW -> emit(data, node.block(), from, to);
      case SYMLINK -> emit(data, node.unixfs().data() == null ? ByteBuffer.allocate(0) : node.unixfs().data(), from, to);
      case FILE -> {
        UnixfsData unixfs = node.unixfs();
        long offset = 0;
        if (unixfs.data() != null) {
          long end = unixfs.dataLength();
          if (from < end && to > 0) {
            emit(data, unixfs.data(), from, Math.min(to, end));
          }
          offset = end;
        }
        List<PbLink> links = node.pb().links();
        for (int i = 0; i < links.size() && offset < to; i++) {
          long size = unixfs.blocksizes().get(i);
          long start = offset;
          long end = offset + size;
          offset = end;
          if (end <= from || size == 0) {
            continue;
          }
          DagNode child = node(links.get(i).hash());
          if (!child.kind().isFile()) {
            throw new UnixfsData.UnixfsException("child " + child.cid() + " of file " + node.cid() + " is a " + child.kind());
          }
          if (child.fileSize() != size) {
            throw new UnixfsData.UnixfsException("child " + child.cid() + " of file " + node.cid() + " holds "
                + child.fileSize() + " bytes, its blocksize says " + size);
          }
          readFile(child, Math.max(from - start, 0), Math.min(to - start, size), blocks, data, depth + 1);
        }
      }
      default -> throw new IllegalArgumentException(node.cid() + " is a " + node.kind() + ", not a file");
    }
  }

  private static void emit(DataSink data, ByteBuffer content, long from, long to) {
    if (data == null || to <= from) {
      return;
    }
    if (to > content.remaining()) {
      throw new UnixfsData.UnixfsException("file range end " + to + " beyond the block's " + content.remaining() + " bytes");
    }
    try {
      data.data(content.slice(content.position() + (int) from, (int) (to - from)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Walks the entity at {@code terminal} by {@code scope}. For files under
   * {@link Scope#ENTITY}, {@code range} (nullable, {@code [from, to)}) limits the walk to the blocks
   * that range needs; an empty range walks the terminal block alone.
   */
  public void walk(DagNode terminal, Scope scope, long[] range, Consumer<DagNode> blocks) {
    switch (scope) {
      case BLOCK -> blocks.accept(terminal);
      case ENTITY -> {
        if (terminal.kind().isFile()) {
          long size = terminal.fileSize();
          long from = range == null ? 0 : range[0];
          long to = range == null ? size : range[1];
          if (range != null && from >= to) {
            blocks.accept(terminal);
          } else {
            readFile(terminal, from, to, blocks, null);
          }
        } else if (terminal.kind() == DagNode.Kind.HAMT_SHARD) {
          walkShards(terminal, blocks, 0);
        } else {
          blocks.accept(terminal);
        }
      }
      case ALL -> walkAll(terminal, blocks, 0);
    }
  }

  private void walkShards(DagNode shard, Consumer<DagNode> blocks, int depth) {
    checkDepth(depth, shard);
    blocks.accept(shard);
    Hamt hamt = Hamt.of(shard.unixfs());
    for (PbLink link : shard.pb().links()) {
      if (hamt.isShardLink(link.nameOrEmpty())) {
        walkShards(node(link.hash()), blocks, depth + 1);
      }
    }
  }

  private void walkAll(DagNode node, Consumer<DagNode> blocks, int depth) {
    checkDepth(depth, node);
    blocks.accept(node);
    for (Cid link : node.links()) {
      walkAll(node(link), blocks, depth + 1);
    }
  }

  private static void checkDepth(int depth, DagNode node) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("DAG deeper than " + MAX_DEPTH + " levels at " + node.cid());
    }
  }
}
