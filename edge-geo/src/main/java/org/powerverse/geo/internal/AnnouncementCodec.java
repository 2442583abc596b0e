package org.powerverse.geo.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.erdtman.jcs.JsonCanonicalizer;
import org.powerverse.geo.Announcement;
import org.powerverse.geo.Capacity;
import org.powerverse.geo.Endpoints;
import org.powerverse.geo.SignedAnnouncement;

/**
 * The byte formats of announcements, as docs/geo.md specifies them: the canonical JSON of an
 * announcement (RFC 8785 JCS over a fixed set of members, integers only), the signing input (a
 * domain-separation prefix followed by that JSON), and the JSON envelope that travels between
 * nodes. Parsing is strict: duplicate or unknown members, wrong types, non-integral numbers and
 * anything a record rejects fail with the member's path.
 */
public final class AnnouncementCodec {

  /** Prefixed to the canonical JSON before signing, so the signature means nothing elsewhere. */
  public static final String DOMAIN = "powerverse/geo/announcement/v1\n";

  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);
  private static final DateTimeFormatter ISSUED_AT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
          .withResolverStyle(ResolverStyle.STRICT);
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();

  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .build();

  static {
    STRICT.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(8).maxStringLength(4096).maxNumberLength(32).build());
  }

  private static final Set<String> ENVELOPE = Set.of("announcement", "publicKey", "signature");
  private static final Set<String> ANNOUNCEMENT =
      Set.of("nodeId", "h3Cell", "endpoints", "capacity", "price", "score", "seq", "issuedAt", "ttl");
  private static final Set<String> ENDPOINTS = Set.of("api", "gateway", "rpc");
  private static final Set<String> CAPACITY = Set.of("freeVcpus", "freeMemoryBytes", "gpus", "cacheBytes");

  private AnnouncementCodec() {}

  /** The announcement as a JSON tree with exactly the members docs/geo.md lists (absent endpoints left out). */
  public static ObjectNode tree(Announcement a) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("nodeId", a.nodeId());
    json.put("h3Cell", a.h3Cell());
    ObjectNode endpoints = json.putObject("endpoints");
    putIfPresent(endpoints, "api", a.endpoints().api());
    putIfPresent(endpoints, "gateway", a.endpoints().gateway());
    putIfPresent(endpoints, "rpc", a.endpoints().rpc());
    ObjectNode capacity = json.putObject("capacity");
    capacity.put("freeVcpus", a.capacity().freeVcpus());
    capacity.put("freeMemoryBytes", a.capacity().freeMemoryBytes());
    ObjectNode gpus = capacity.putObject("gpus");
    a.capacity().gpus().forEach(gpus::put);
    capacity.put("cacheBytes", a.capacity().cacheBytes());
    json.put("price", a.price());
    json.put("score", a.score());
    json.put("seq", a.seq());
    json.put("issuedAt", ISSUED_AT.format(a.issuedAt()));
    json.put("ttl", a.ttl());
    return json;
  }

  /** RFC 8785 canonical JSON of the announcement: what is signed, after {@link #DOMAIN}. */
  public static byte[] canonical(Announcement a) {
    return jcs(tree(a).toString());
  }

  /** The exact bytes an Ed25519 signature covers. */
  public static byte[] signingInput(Announcement a) {
    byte[] canonical = canonical(a);
    byte[] input = new byte[DOMAIN_BYTES.length + canonical.length];
    System.arraycopy(DOMAIN_BYTES, 0, input, 0, DOMAIN_BYTES.length);
    System.arraycopy(canonical, 0, input, DOMAIN_BYTES.length, canonical.length);
    return input;
  }

  /** The envelope as it travels: canonical JSON too, so equal envelopes are equal bytes. */
  public static byte[] envelope(SignedAnnouncement signed) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.set("announcement", tree(signed.announcement()));
    json.put("publicKey", BASE64URL.encodeToString(signed.publicKey()));
    json.put("signature", BASE64URL.encodeToString(signed.signature()));
    return jcs(json.toString());
  }

  public static String issuedAt(Instant instant) {
    return ISSUED_AT.format(instant);
  }

  /** Parses an envelope; throws {@link MalformedAnnouncementException} naming the bad member. */
  public static SignedAnnouncement parseEnvelope(byte[] json) {
    JsonNode root;
    try {
      root = STRICT.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedAnnouncementException("$", "not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (root == null || !root.isObject()) {
      throw new MalformedAnnouncementException("$", "expected a JSON object");
    }
    members("", root, ENVELOPE, ENVELOPE);
    Announcement announcement = announcement(root.get("announcement"));
    byte[] publicKey = base64url("publicKey", root.get("publicKey"), SignedAnnouncement.PUBLIC_KEY_BYTES);
    byte[] signature = base64url("signature", root.get("signature"), SignedAnnouncement.SIGNATURE_BYTES);
    return new SignedAnnouncement(announcement, publicKey, signature);
  }

  private static Announcement announcement(JsonNode node) {
    object("announcement", node);
    members("announcement.", node, ANNOUNCEMENT, ANNOUNCEMENT);
    JsonNode endpointsNode = node.get("endpoints");
    object("announcement.endpoints", endpointsNode);
    members("announcement.endpoints.", endpointsNode, ENDPOINTS, Set.of());
    JsonNode capacityNode = node.get("capacity");
    object("announcement.capacity", capacityNode);
    members("announcement.capacity.", capacityNode, CAPACITY, CAPACITY);
    JsonNode gpusNode = capacityNode.get("gpus");
    object("announcement.capacity.gpus", gpusNode);
    Map<String, Integer> gpus = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> gpu : gpusNode.properties()) {
      gpus.put(gpu.getKey(), (int) integer("announcement.capacity.gpus." + gpu.getKey(), gpu.getValue(), Integer.MAX_VALUE));
    }
    String issuedAtText = string("announcement.issuedAt", node.get("issuedAt"));
    Instant issuedAt;
    try {
      issuedAt = Instant.from(ISSUED_AT.parse(issuedAtText));
    } catch (DateTimeParseException e) {
      throw new MalformedAnnouncementException("announcement.issuedAt",
          "expected UTC time as yyyy-MM-ddTHH:mm:ss.SSSZ, got \"" + issuedAtText + "\"");
    }
    String field = "announcement";
    try {
      field = "announcement.endpoints";
      Endpoints endpoints = new Endpoints(
          optionalString("announcement.endpoints.api", endpointsNode.get("api")),
          optionalString("announcement.endpoints.gateway", endpointsNode.get("gateway")),
          optionalString("announcement.endpoints.rpc", endpointsNode.get("rpc")));
      field = "announcement.capacity";
      Capacity capacity = new Capacity(
          (int) integer("announcement.capacity.freeVcpus", capacityNode.get("freeVcpus"), Integer.MAX_VALUE),
          integer("announcement.capacity.freeMemoryBytes", capacityNode.get("freeMemoryBytes"), Long.MAX_VALUE),
          gpus,
          integer("announcement.capacity.cacheBytes", capacityNode.get("cacheBytes"), Long.MAX_VALUE));
      field = "announcement";
      return new Announcement(
          string("announcement.nodeId", node.get("nodeId")),
          string("announcement.h3Cell", node.get("h3Cell")),
          endpoints,
          capacity,
          integer("announcement.price", node.get("price"), Long.MAX_VALUE),
          integer("announcement.score", node.get("score"), Long.MAX_VALUE),
          integer("announcement.seq", node.get("seq"), Long.MAX_VALUE),
          issuedAt,
          integer("announcement.ttl", node.get("ttl"), Long.MAX_VALUE));
    } catch (org.powerverse.platform.InvalidValueException e) {
      throw new MalformedAnnouncementException(field + "." + e.field(), e.reason());
    } catch (NullPointerException e) {
      throw new MalformedAnnouncementException(field, "missing member: " + e.getMessage());
    }
  }

  private static void object(String field, JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new MalformedAnnouncementException(field, "expected a JSON object");
    }
  }

  private static void members(String prefix, JsonNode node, Set<String> allowed, Set<String> required) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new MalformedAnnouncementException(prefix + name, "unknown member; expected " + new java.util.TreeSet<>(allowed));
      }
    }
    for (String name : required) {
      if (!node.has(name)) {
        throw new MalformedAnnouncementException(prefix + name, "missing");
      }
    }
  }

  private static String string(String field, JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw new MalformedAnnouncementException(field, "expected a string");
    }
    return node.textValue();
  }

  private static String optionalString(String field, JsonNode node) {
    return node == null ? null : string(field, node);
  }

  private static long integer(String field, JsonNode node, long max) {
    if (node == null || !node.isIntegralNumber()) {
      throw new MalformedAnnouncementException(field, "expected an integer");
    }
    java.math.BigInteger value = node.bigIntegerValue();
    if (value.signum() < 0 || value.compareTo(java.math.BigInteger.valueOf(Math.min(max, Announcement.MAX_SAFE_INTEGER))) > 0) {
      throw new MalformedAnnouncementException(field, "must be between 0 and "
          + Math.min(max, Announcement.MAX_SAFE_INTEGER) + ", got " + value);
    }
    return value.longValueExact();
  }

  private static byte[] base64url(String field, JsonNode node, int length) {
    String text = string(field, node);
    byte[] bytes;
    try {
      bytes = BASE64URL_DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedAnnouncementException(field, "not base64url: " + e.getMessage());
    }
    if (bytes.length != length || !BASE64URL.encodeToString(bytes).equals(text)) {
      throw new MalformedAnnouncementException(field, "expected " + length + " bytes in unpadded base64url");
    }
    return bytes;
  }

  private static void putIfPresent(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value);
    }
  }

  private static byte[] jcs(String json) {
    try {
      return new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException e) {
      throw new IllegalStateException("cannot canonicalize our own JSON: " + e.getMessage(), e);
    }
  }
}
