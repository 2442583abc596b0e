package org.powerverse.appliance.internal.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.ValidationContext;
import java.util.List;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.powerverse.platform.Json;
import org.powerverse.platform.Problem;

/**
 * Builds the node's one OpenAPI document from the appliance's base and each subsystem's part.
 * A part's paths are relative to /api/v1; its components join the base's. A path or component
 * defined twice is a programming error and stops start-up, naming both owners.
 */
public final class ContractAssembler {

  public static final String API_BASE = "/api/v1";
  private static final ObjectMapper YAML = new YAMLMapper();

  private final ObjectNode document;

  private ContractAssembler(ObjectNode document) {
    this.document = document;
  }

  public static ContractAssembler fromBase(ClassLoader loader, String resource) {
    return new ContractAssembler((ObjectNode) read(loader, resource));
  }

  /** Adds a subsystem's part; {@code owner} names it in errors. */
  public ContractAssembler add(String owner, ClassLoader loader, String resource) {
    JsonNode part = read(loader, resource);
    ObjectNode paths = (ObjectNode) document.get("paths");
    for (Iterator<Map.Entry<String, JsonNode>> it = part.path("paths").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      String full = API_BASE + path.getKey();
      if (paths.has(full)) {
        throw new IllegalStateException(owner + " defines path " + full + ", which another part already defines");
      }
      paths.set(full, path.getValue());
    }
    ObjectNode components = (ObjectNode) document.get("components");
    for (Iterator<Map.Entry<String, JsonNode>> kinds = part.path("components").fields(); kinds.hasNext(); ) {
      Map.Entry<String, JsonNode> kind = kinds.next();
      ObjectNode target = components.has(kind.getKey()) ? (ObjectNode) components.get(kind.getKey())
          : components.putObject(kind.getKey());
      for (Iterator<Map.Entry<String, JsonNode>> it = kind.getValue().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> component = it.next();
        if (target.has(component.getKey())) {
          throw new IllegalStateException(owner + " defines components." + kind.getKey() + "." + component.getKey()
              + ", which another part already defines");
        }
        target.set(component.getKey(), component.getValue());
      }
    }
    return this;
  }

  /** The document served at /api/v1/openapi.json. */
  public JsonObject served() {
    return new JsonObject(Json.string(document));
  }

  /**
   * The document requests are validated against: the same, except that streaming operations
   * (x-powerverse-streaming) have no request body, since their handlers read and check it.
   */
  public JsonObject forValidation() {
    ObjectNode copy = document.deepCopy();
    copy.path("paths").forEach(path -> path.forEach(operation -> {
      if (operation.isObject() && operation.path("x-powerverse-streaming").asBoolean(false)) {
        ((ObjectNode) operation).remove("requestBody");
      }
    }));
    return new JsonObject(Json.string(copy));
  }

  /**
   * Binary media types our operations take or give that vertx-openapi does not know: checked by
   * their handlers (a CAR's blocks against their CIDs), so the contract treats them as opaque.
   */
  static final List<String> OPAQUE_MEDIA_TYPES = List.of("application/vnd.ipld.car", "application/vnd.ipld.raw");

  /**
   * Parses a document into a Vert.x contract, knowing application/problem+json (RFC 9457) as JSON
   * and {@link #OPAQUE_MEDIA_TYPES} as opaque bytes: vertx-openapi knows only application/json,
   * vendor +json types and a few generic ones out of the box.
   */
  public static Future<OpenAPIContract> contract(Vertx vertx, JsonObject document) {
    MediaTypeRegistry registry = MediaTypeRegistry.createDefault()
        .register(registration(List.of(Problem.MEDIA_TYPE), ContentAnalyserFactory.json()))
        .register(registration(OPAQUE_MEDIA_TYPES, ContentAnalyserFactory.noop()));
    return OpenAPIContract.builder(vertx).setContract(document).mediaTypeRegistry(registry).build();
  }

  private static MediaTypeRegistration registration(List<String> types, ContentAnalyserFactory analyser) {
    return new MediaTypeRegistration() {
      @Override
      public ContentAnalyser createContentAnalyser(String contentType, Buffer content, ValidationContext context) {
        return analyser.create(contentType, content, context);
      }

      @Override
      public boolean canHandle(String mediaType) {
        String type = mediaType.toLowerCase(java.util.Locale.ROOT);
        return types.stream().anyMatch(type::startsWith);
      }

      @Override
      public List<String> supportedTypes() {
        return types;
      }
    };
  }

  private static JsonNode read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no OpenAPI resource " + resource + " on the class path");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read OpenAPI resource " + resource, e);
    }
  }
}
