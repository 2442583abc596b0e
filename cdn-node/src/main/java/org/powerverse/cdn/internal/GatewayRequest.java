package org.powerverse.cdn.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multicodec;

/**
 * A gateway request as the path and trustless gateway specs read it: the content path
 * ({@code /ipfs/{cid}[/path]}), the response format chosen by {@code format} or {@code Accept}
 * (the query parameter wins, IPIP-0523), CAR parameters (query over Accept), {@code dag-scope},
 * {@code entity-bytes}, and the conditional and range headers.
 *
 * @param head a HEAD request
 * @param rawPath the path as received (percent-encoded), for {@code X-Ipfs-Path} and redirects
 * @param rawQuery the query as received, or null
 * @param root the CID in the path
 * @param segments the path after the CID, percent-decoded
 * @param trailingSlash whether the path ends with '/'
 * @param format the response format
 * @param formatFromAccept whether the format came from Accept alone (then Content-Location is sent)
 * @param carDups whether a CAR repeats duplicate blocks ({@code dups=y})
 * @param scope the CAR's dag-scope
 * @param entityBytes the raw {@code entity-bytes} value, or null
 * @param filename the {@code filename} parameter, or null
 * @param download whether {@code download=true}
 * @param range the Range header, or null
 * @param ifNoneMatch the If-None-Match header, or null
 * @param onlyIfCached whether Cache-Control carries only-if-cached
 */
public record GatewayRequest(
    boolean head,
    String rawPath,
    String rawQuery,
    Cid root,
    List<String> segments,
    boolean trailingSlash,
    Format format,
    boolean formatFromAccept,
    boolean carDups,
    DagReader.Scope scope,
    String entityBytes,
    String filename,
    boolean download,
    String range,
    String ifNoneMatch,
    boolean onlyIfCached) {

  /** Response formats; the deserialized one is the path gateway's default. */
  public enum Format {
    DESERIALIZED(null, null),
    RAW("raw", "application/vnd.ipld.raw"),
    CAR("car", "application/vnd.ipld.car"),
    DAG_CBOR("dag-cbor", "application/vnd.ipld.dag-cbor"),
    DAG_JSON("dag-json", "application/vnd.ipld.dag-json"),
    JSON("json", "application/json"),
    CBOR("cbor", "application/cbor");

    final String parameter;
    final String mediaType;

    Format(String parameter, String mediaType) {
      this.parameter = parameter;
      this.mediaType = mediaType;
    }

    static Optional<Format> byParameter(String value) {
      for (Format format : values()) {
        if (value.equals(format.parameter)) {
          return Optional.of(format);
        }
      }
      return Optional.empty();
    }

    static Optional<Format> byMediaType(String value) {
      for (Format format : values()) {
        if (value.equals(format.mediaType)) {
          return Optional.of(format);
        }
      }
      return Optional.empty();
    }

    /** The codec a typed format needs, or -1 when any codec goes. */
    long requiredCodec() {
      return switch (this) {
        case DAG_CBOR -> Multicodec.DAG_CBOR.code();
        case DAG_JSON -> Multicodec.DAG_JSON.code();
        case JSON -> 0x0200;
        case CBOR -> 0x51;
        default -> -1;
      };
    }
  }

  /** A request the gateway answers with an error status and a plain-text reason. */
  public static final class BadRequestException extends RuntimeException {
    private final int status;

    public BadRequestException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /**
   * Parses a request. {@code query} reads decoded query parameters, {@code header} request
   * headers (both return null when absent).
   */
  public static GatewayRequest parse(String method, String rawPath, String rawQuery,
      Function<String, String> query, Function<String, String> header) {
    boolean head = method.equals("HEAD");
    if (!head && !method.equals("GET")) {
      throw new BadRequestException(405, "method " + method + " is not allowed; the gateway serves GET and HEAD");
    }
    if (rawPath.startsWith("/ipns/")) {
      throw new BadRequestException(501, "/ipns/ is not served by this gateway: it has no IPNS or DNSLink resolver");
    }
    if (!rawPath.startsWith("/ipfs/")) {
      throw new BadRequestException(404, "not a content path: expected /ipfs/{cid}[/path]");
    }
    List<String> parts = new ArrayList<>();
    for (String part : rawPath.substring("/ipfs/".length()).split("/", -1)) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    if (parts.isEmpty()) {
      throw new BadRequestException(400, "no CID in the path");
    }
    Cid root;
    try {
      root = Cid.parse(percentDecode(parts.get(0)));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(400, "invalid CID in the path: " + e.getMessage());
    }
    if (!root.multihash().isVerifiable()) {
      throw new BadRequestException(400, "the CID's hash function cannot be verified here (supported: sha2-256, identity)");
    }
    List<String> segments = new ArrayList<>();
    for (String part : parts.subList(1, parts.size())) {
      segments.add(percentDecode(part));
    }
    boolean trailingSlash = rawPath.endsWith("/");
    // Path gateway spec, "Service-Worker": refuse registration scoped to a bare content root.
    if ("script".equals(header.apply("Service-Worker")) && segments.isEmpty() && !trailingSlash) {
      throw new BadRequestException(400, "a service worker may not be registered for a bare /ipfs/{cid}");
    }

    Map<String, Map<String, String>> accepted = parseAccept(header.apply("Accept"));
    Format format;
    boolean fromAccept = false;
    String formatParameter = query.apply("format");
    if (formatParameter != null && !formatParameter.isEmpty()) {
      format = Format.byParameter(formatParameter).orElseThrow(() -> new BadRequestException(400,
          "unsupported format \"" + formatParameter + "\" (supported: raw, car, dag-cbor, dag-json, json, cbor)"));
    } else {
      format = Format.DESERIALIZED;
      for (String type : accepted.keySet()) {
        Optional<Format> chosen = Format.byMediaType(type);
        if (chosen.isPresent()) {
          format = chosen.get();
          fromAccept = true;
          break;
        }
      }
    }

    boolean dups = false;
    DagReader.Scope scope = DagReader.Scope.ALL;
    String entityBytes = null;
    if (format == Format.CAR) {
      Map<String, String> carParameters = accepted.getOrDefault(Format.CAR.mediaType, Map.of());
      String version = firstOf(query.apply("car-version"), carParameters.get("version"), "1");
      if (!version.equals("1")) {
        throw new BadRequestException(400, "unsupported CAR version " + version + " (this gateway writes CARv1)");
      }
      String order = firstOf(query.apply("car-order"), carParameters.get("order"), "dfs");
      if (!order.equals("dfs") && !order.equals("unk")) {
        throw new BadRequestException(400, "unsupported CAR order \"" + order + "\" (supported: dfs, unk)");
      }
      String dupsValue = firstOf(query.apply("car-dups"), carParameters.get("dups"), "n");
      if (!dupsValue.equals("y") && !dupsValue.equals("n")) {
        throw new BadRequestException(400, "CAR dups must be y or n, got \"" + dupsValue + "\"");
      }
      dups = dupsValue.equals("y");
      String scopeValue = query.apply("dag-scope");
      if (scopeValue != null) {
        scope = switch (scopeValue) {
          case "block" -> DagReader.Scope.BLOCK;
          case "entity" -> DagReader.Scope.ENTITY;
          case "all" -> DagReader.Scope.ALL;
          default -> throw new BadRequestException(400, "dag-scope must be block, entity or all, got \"" + scopeValue + "\"");
        };
      }
      entityBytes = query.apply("entity-bytes");
      if (entityBytes != null) {
        parseEntityBytes(entityBytes); // validates early
        scope = DagReader.Scope.ENTITY; // trustless gateway spec: entity-bytes implies dag-scope=entity
      }
    }
    String cacheControl = header.apply("Cache-Control");
    boolean onlyIfCached = cacheControl != null && cacheControl.toLowerCase(Locale.ROOT).contains("only-if-cached");
    return new GatewayRequest(head, rawPath, rawQuery, root, List.copyOf(segments), trailingSlash, format, fromAccept,
        dups, scope, entityBytes, query.apply("filename"), "true".equals(query.apply("download")),
        header.apply("Range"), header.apply("If-None-Match"), onlyIfCached);
  }

  private static String firstOf(String a, String b, String fallback) {
    return a != null && !a.isEmpty() ? a : b != null && !b.isEmpty() ? b : fallback;
  }

  /**
   * Accept's media types in preference order (by q, then by position), with their parameters;
   * types with q=0 are left out (RFC 9110 §12.5.1).
   */
  static Map<String, Map<String, String>> parseAccept(String accept) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (accept == null) {
      return out;
    }
    record Item(String type, Map<String, String> parameters, double q, int position) {}
    List<Item> items = new ArrayList<>();
    String[] ranges = accept.split(",");
    for (int i = 0; i < ranges.length; i++) {
      String[] pieces = ranges[i].split(";");
      String type = pieces[0].trim().toLowerCase(Locale.ROOT);
      if (type.isEmpty()) {
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      double q = 1;
      for (int j = 1; j < pieces.length; j++) {
        String[] pair = pieces[j].split("=", 2);
        String name = pair[0].trim().toLowerCase(Locale.ROOT);
        String value = pair.length > 1 ? pair[1].trim().replace("\"", "") : "";
        if (name.equals("q")) {
          try {
            q = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            q = 0;
          }
        } else {
          parameters.put(name, value);
        }
      }
      if (q > 0) {
        items.add(new Item(type, parameters, q, i));
      }
    }
    items.sort((a, b) -> a.q != b.q ? Double.compare(b.q, a.q) : Integer.compare(a.position, b.position));
    for (Item item : items) {
      out.putIfAbsent(item.type, item.parameters);
    }
    return out;
  }

  /**
   * {@code from:to} of the trustless gateway spec: integers, negative ones counted from the end,
   * and {@code *} for the end of the file.
   */
  static long[] parseEntityBytes(String value) {
    String[] parts = value.split(":", -1);
    if (parts.length != 2 || !parts[0].matches("-?[0-9]{1,18}") || !(parts[1].equals("*") || parts[1].matches("-?[0-9]{1,18}"))) {
      throw new BadRequestException(400, "entity-bytes must be from:to with integers (to may be *), got \"" + value + "\"");
    }
    long from = Long.parseLong(parts[0]);
    long to = parts[1].equals("*") ? Long.MAX_VALUE : Long.parseLong(parts[1]);
    if (from >= 0 && to >= 0 && to != Long.MAX_VALUE && to < from) {
      throw new BadRequestException(400, "entity-bytes " + value + " ends before it starts");
    }
    return new long[] {from, to};
  }

  /** The half-open range {@code [from, to)} of a file of {@code size} bytes that entity-bytes asks for. */
  public static long[] entityRange(String value, long size) {
    long[] parsed = parseEntityBytes(value);
    long from = parsed[0] < 0 ? Math.max(0, size + parsed[0]) : parsed[0];
    long toInclusive = parsed[1] == Long.MAX_VALUE ? size - 1 : parsed[1] < 0 ? size + parsed[1] : Math.min(parsed[1], size - 1);
    from = Math.min(from, size);
    long to = Math.max(from, toInclusive + 1);
    return new long[] {from, Math.min(to, size)};
  }

  /**
   * Percent-decodes one path segment to UTF-8. Characters above 0x7F are taken as the bytes they
   * arrived as (the HTTP codec reads the request line as ISO-8859-1), so raw UTF-8 paths work too.
   */
  static String percentDecode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        int high = Character.digit(segment.charAt(i + 1), 16);
        int low = Character.digit(segment.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          throw new BadRequestException(400, "bad percent-encoding in path segment \"" + segment + "\"");
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else if (c == '%') {
        throw new BadRequestException(400, "bad percent-encoding in path segment \"" + segment + "\"");
      } else if (c <= 0xFF) {
        bytes.write(c);
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadRequestException(400, "path segment \"" + segment + "\" is not UTF-8");
    }
  }

  /** Percent-encodes a name for use as one path segment (RFC 3986 unreserved characters stay). */
  public static String percentEncode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      }
    }
    return out.toString();
  }
}
