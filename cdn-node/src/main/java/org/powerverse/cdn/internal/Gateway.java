package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multihash;

/**
 * The trustless and path gateway's answers (specs.ipfs.tech: trustless-gateway, path-gateway),
 * computed from a block source without I/O of its own: raw blocks, CARs by dag-scope and
 * entity-bytes, and deserialized UnixFS (files with Range, directories as HTML listings or their
 * index.html, symlinks). A block the source lacks ends planning with {@link MissingBlockException};
 * the server then fetches it from upstream and plans again. Planning walks exactly the blocks the
 * response needs, so a plan that returns can be written in full.
 */
public final class Gateway {

  /** Path gateway spec, "Cache-Control": every immutable /ipfs/ resource. */
  static final String IMMUTABLE = "public, max-age=29030400, immutable";
  /** Generated listings may change with this code, so they are cached a week, not forever. */
  static final String LISTING_CACHE = "public, max-age=604800, stale-while-revalidate=2678400";
  /** Bumped when the listing HTML changes, so caches drop old listings (path gateway spec, "Etag"). */
  static final String DIR_INDEX_VERSION = "pv1";
  /** More ranges than this in one Range header are ignored, and the whole file is served. */
  static final int MAX_RANGES = 32;

  private Gateway() {}

  public static GatewayResponse plan(GatewayRequest request, BlockSource source) {
    DagReader reader = new DagReader(source);
    List<DagNode> pathBlocks = new ArrayList<>();
    DagReader.Resolved resolved;
    try {
      resolved = reader.resolve(request.root(), request.segments(), pathBlocks::add);
    } catch (DagReader.PathNotFoundException e) {
      return GatewayResponse.text(404, "not found: " + e.getMessage());
    }
    GatewayResponse response = switch (request.format()) {
      case CAR -> car(request, reader, pathBlocks, resolved);
      case DESERIALIZED -> deserialized(request, reader, resolved);
      default -> block(request, resolved);
    };
    return request.head() ? response.withoutBody() : response;
  }

  private static Map<String, String> contentHeaders(GatewayRequest request, DagReader.Resolved resolved, String etag) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Etag", etag);
    headers.put("Cache-Control", IMMUTABLE);
    headers.put("X-Ipfs-Path", request.rawPath());
    headers.put("X-Ipfs-Roots", resolved.roots().stream().map(Cid::toString).collect(Collectors.joining(",")));
    if (request.formatFromAccept()) {
      String query = request.rawQuery() == null || request.rawQuery().isEmpty() ? "" : request.rawQuery() + "&";
      headers.put("Content-Location", request.rawPath() + "?" + query + "format=" + request.format().parameter);
    }
    return headers;
  }

  // --- raw blocks (application/vnd.ipld.raw and the typed codecs) ---------------------------

  private static GatewayResponse block(GatewayRequest request, DagReader.Resolved resolved) {
    DagNode terminal = resolved.terminal();
    GatewayRequest.Format format = request.format();
    long codec = format.requiredCodec();
    if (codec >= 0 && terminal.cid().codec() != codec) {
      return GatewayResponse.text(406, "the block is " + org.powerverse.cdn.Multicodec.nameOf(terminal.cid().codec())
          + ", not " + format.parameter + "; ask for ?format=raw and decode it yourself");
    }
    String etag = "\"" + terminal.cid() + "." + format.parameter + "\"";
    Map<String, String> headers = contentHeaders(request, resolved, etag);
    if (notModified(request, etag)) {
      return new GatewayResponse(304, headers, List.of(), 0);
    }
    headers.put("Content-Type", format.mediaType);
    headers.put("X-Content-Type-Options", "nosniff");
    if (format == GatewayRequest.Format.RAW) {
      headers.put("Content-Disposition", disposition(true, request.filename() != null ? request.filename() : terminal.cid() + ".bin"));
    }
    ByteBuffer bytes = terminal.block();
    return ranged(request, headers, bytes.remaining(), format.mediaType, (from, to, parts) -> {
      parts.add(bytes.slice(bytes.position() + (int) from, (int) (to - from)));
    });
  }

  // --- CAR (application/vnd.ipld.car) -------------------------------------------------------

  private static GatewayResponse car(GatewayRequest request, DagReader reader, List<DagNode> pathBlocks, DagReader.Resolved resolved) {
    DagNode terminal = resolved.terminal();
    long[] range = null;
    if (request.entityBytes() != null && terminal.kind().isFile()) {
      range = GatewayRequest.entityRange(request.entityBytes(), terminal.fileSize());
    }
    String variant = String.join("/", request.segments()) + "|" + request.scope() + "|" + request.entityBytes() + "|" + request.carDups();
    String etag = "\"" + request.root() + ".car." + shortHash(variant) + "\"";
    Map<String, String> headers = contentHeaders(request, resolved, etag);
    if (notModified(request, etag)) {
      return new GatewayResponse(304, headers, List.of(), 0);
    }
    headers.put("Content-Type", "application/vnd.ipld.car; version=1; order=dfs; dups=" + (request.carDups() ? "y" : "n"));
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Accept-Ranges", "none");
    headers.put("Content-Disposition", disposition(true, request.filename() != null ? request.filename() : request.root() + ".car"));
    if (request.head()) {
      // HEAD stops at the headers: the root and the path were resolved, nothing more is walked.
      return new GatewayResponse(200, headers, List.of(), -1);
    }
    List<ByteBuffer> parts = new ArrayList<>();
    long[] length = {0};
    Set<Multihash> sent = new HashSet<>();
    java.util.function.Consumer<DagNode> emit = node -> {
      // Trustless gateway spec: identity blocks are never sent; dups=n sends each block once.
      if (node.cid().isIdentity() || (!request.carDups() && !sent.add(node.cid().multihash()))) {
        return;
      }
      byte[] cid = node.cid().bytes();
      ByteBuffer block = node.block();
      byte[] prefix = Varint.encode((long) cid.length + block.remaining());
      ByteBuffer head = ByteBuffer.allocate(prefix.length + cid.length).put(prefix).put(cid).flip();
      parts.add(head);
      parts.add(block.duplicate());
      length[0] += head.remaining() + block.remaining();
    };
    byte[] header = CarWriter.header(List.of(request.root()));
    parts.add(ByteBuffer.wrap(header));
    length[0] += header.length;
    pathBlocks.forEach(emit);
    reader.walk(terminal, request.scope(), range, emit);
    return new GatewayResponse(200, headers, parts, length[0]);
  }

  // --- deserialized UnixFS ----------------------------------------------------------------

  private static GatewayResponse deserialized(GatewayRequest request, DagReader reader, DagReader.Resolved resolved) {
    DagNode terminal = resolved.terminal();
    switch (terminal.kind()) {
      case RAW, FILE, SYMLINK -> {
        String name = request.segments().isEmpty() ? null : request.segments().get(request.segments().size() - 1);
        return file(request, reader, resolved, terminal, request.filename() != null ? request.filename() : name, terminal.cid());
      }
      case DIRECTORY, HAMT_SHARD -> {
        if (!request.trailingSlash()) {
          // Path gateway spec, "Location": directories are served under a trailing slash.
          String location = request.rawPath() + "/" + (request.rawQuery() == null || request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
          return GatewayResponse.text(301, "moved to " + location, Map.of("Location", location));
        }
        Optional<Cid> index = terminal.kind() == DagNode.Kind.DIRECTORY
            ? terminal.pb().links().stream().filter(l -> "index.html".equals(l.name())).map(PbLink::hash).findFirst()
            : reader.hamtLookup(terminal, "index.html", node -> { });
        if (index.isPresent()) {
          DagNode page = reader.node(index.get());
          if (page.kind().isFile()) {
            return file(request, reader, resolved, page, "index.html", terminal.cid());
          }
        }
        return listing(request, reader, resolved, terminal);
      }
      case DAG_CBOR -> {
        GatewayRequest typed = new GatewayRequest(request.head(), request.rawPath(), request.rawQuery(), request.root(),
            request.segments(), request.trailingSlash(), GatewayRequest.Format.DAG_CBOR, false, false,
            request.scope(), null, request.filename(), request.download(), request.range(), request.ifNoneMatch(), request.onlyIfCached());
        return block(typed, resolved);
      }
      default -> {
        return GatewayResponse.text(406, terminal.cid() + " is " + terminal.kind() + ", which has no deserialized form here; ask for ?format=raw or ?format=car");
      }
    }
  }

  private static GatewayResponse file(GatewayRequest request, DagReader reader, DagReader.Resolved resolved, DagNode file,
      String name, Cid etagCid) {
    String etag = "\"" + etagCid + "\"";
    Map<String, String> headers = contentHeaders(request, resolved, etag);
    if (notModified(request, etag)) {
      return new GatewayResponse(304, headers, List.of(), 0);
    }
    long size = file.fileSize();
    ByteBuffer head = ByteBuffer.allocate((int) Math.min(ContentTypes.SNIFF_BYTES, size));
    reader.readFile(file, 0, head.capacity(), node -> { }, slice -> head.put(slice));
    String type = file.kind() == DagNode.Kind.SYMLINK ? ContentTypes.TEXT : ContentTypes.of(name, head.flip());
    headers.put("Content-Type", type);
    if (request.filename() != null || request.download()) {
      headers.put("Content-Disposition", disposition(request.download(), name));
    }
    return ranged(request, headers, size, type, (from, to, parts) -> reader.readFile(file, from, to, node -> { }, parts::add));
  }

  private static GatewayResponse listing(GatewayRequest request, DagReader reader, DagReader.Resolved resolved, DagNode dir) {
    String etag = "\"DirIndex-" + DIR_INDEX_VERSION + "_CID-" + dir.cid() + "\"";
    Map<String, String> headers = contentHeaders(request, resolved, etag);
    headers.put("Cache-Control", LISTING_CACHE);
    if (notModified(request, etag)) {
      return new GatewayResponse(304, headers, List.of(), 0);
    }
    byte[] html = DirectoryListing.html(request.root(), request.segments(), reader.entries(dir))
        .getBytes(StandardCharsets.UTF_8);
    headers.put("Content-Type", "text/html; charset=utf-8");
    headers.put("Content-Length", Long.toString(html.length));
    return new GatewayResponse(200, headers, List.of(ByteBuffer.wrap(html)), html.length);
  }

  // --- ranges ---------------------------------------------------------------------------------

  @FunctionalInterface
  private interface RangeReader {
    void read(long from, long to, List<ByteBuffer> parts);
  }

  /** The body of {@code size} bytes, whole or as the Range header asks (RFC 9110 §14). */
  private static GatewayResponse ranged(GatewayRequest request, Map<String, String> headers, long size, String type, RangeReader reader) {
    headers.put("Accept-Ranges", "bytes");
    List<long[]> ranges = ranges(request.range(), size);
    List<ByteBuffer> parts = new ArrayList<>();
    if (ranges == null) {
      if (!request.head()) {
        reader.read(0, size, parts);
      }
      headers.put("Content-Length", Long.toString(size));
      return new GatewayResponse(200, headers, parts, size);
    }
    if (ranges.isEmpty()) {
      headers.put("Content-Range", "bytes */" + size);
      return GatewayResponse.text(416, "range not satisfiable: the content is " + size + " bytes", headers);
    }
    if (ranges.size() == 1) {
      long[] range = ranges.get(0);
      if (!request.head()) {
        reader.read(range[0], range[1], parts);
      }
      headers.put("Content-Range", "bytes " + range[0] + "-" + (range[1] - 1) + "/" + size);
      headers.put("Content-Length", Long.toString(range[1] - range[0]));
      return new GatewayResponse(206, headers, parts, range[1] - range[0]);
    }
    // RFC 9110 §14.6: multipart/byteranges, one part per range.
    String boundary = "pv-" + shortHash(headers.get("Etag") + request.range());
    long length = 0;
    for (long[] range : ranges) {
      byte[] partHead = ("--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: bytes " + range[0] + "-"
          + (range[1] - 1) + "/" + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      parts.add(ByteBuffer.wrap(partHead));
      if (!request.head()) {
        reader.read(range[0], range[1], parts);
      }
      parts.add(ByteBuffer.wrap("\r\n".getBytes(StandardCharsets.US_ASCII)));
      length += partHead.length + (range[1] - range[0]) + 2;
    }
    byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    parts.add(ByteBuffer.wrap(end));
    length += end.length;
    headers.put("Content-Type", "multipart/byteranges; boundary=" + boundary);
    headers.put("Content-Length", Long.toString(length));
    return new GatewayResponse(206, headers, request.head() ? List.of() : parts, length);
  }

  /**
   * The satisfiable ranges {@code [from, to)} of a Range header; null when there is none or it
   * cannot be parsed (then the whole content is served, RFC 9110 §14.2), empty when none is
   * satisfiable.
   */
  static List<long[]> ranges(String header, long size) {
    if (header == null || !header.trim().toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      return null;
    }
    String[] specs = header.trim().substring("bytes=".length()).split(",");
    if (specs.length > MAX_RANGES) {
      return null;
    }
    List<long[]> out = new ArrayList<>();
    for (String spec : specs) {
      String trimmed = spec.trim();
      int dash = trimmed.indexOf('-');
      if (dash < 0) {
        return null;
      }
      String first = trimmed.substring(0, dash).trim();
      String last = trimmed.substring(dash + 1).trim();
      try {
        if (first.isEmpty()) {
          long suffix = Long.parseLong(last);
          if (suffix <= 0) {
            continue;
          }
          out.add(new long[] {Math.max(0, size - suffix), size});
        } else {
          long from = Long.parseLong(first);
          long to = last.isEmpty() ? size - 1 : Long.parseLong(last);
          if (from < 0 || to < from) {
            return null;
          }
          if (from < size) {
            out.add(new long[] {from, Math.min(to, size - 1) + 1});
          }
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    out.removeIf(range -> range[0] >= range[1]);
    return out;
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Path gateway spec, "If-None-Match": any listed (weak or strong) Etag, or *, matches. */
  static boolean notModified(GatewayRequest request, String etag) {
    String header = request.ifNoneMatch();
    if (header == null) {
      return false;
    }
    for (String candidate : header.split(",")) {
      String value = candidate.trim();
      if (value.equals("*")) {
        return true;
      }
      if (value.startsWith("W/")) {
        value = value.substring(2);
      }
      if (value.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Content-Disposition per the path gateway spec: an ASCII filename with other characters as
   * '_', plus the UTF-8 name percent-encoded (RFC 8187) when they differ.
   */
  static String disposition(boolean attachment, String name) {
    StringBuilder ascii = new StringBuilder();
    boolean plain = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        ascii.append('_');
        plain = false;
      } else {
        ascii.append(c);
      }
    }
    String value = (attachment ? "attachment" : "inline") + "; filename=\"" + ascii + "\"";
    return plain ? value : value + "; filename*=UTF-8''" + GatewayRequest.percentEncode(name);
  }

  private static String shortHash(String value) {
    MessageDigest sha = Multihash.sha256Digest();
    return HexFormat.of().formatHex(sha.digest(value.getBytes(StandardCharsets.UTF_8)), 0, 8);
  }
}
