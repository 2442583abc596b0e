package org.powerverse.platform;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the one YAML config file into nested config records (STYLE.md §2). Strict: an unknown key,
 * a value of the wrong type or one a record rejects fails with the key's full path and what was
 * expected. Absent keys take the records' named defaults.
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .addModule(new JavaTimeModule())
          .build();

  private ConfigLoader() {}

  /** Reads {@code file}; a missing file is an error (the caller decides whether one is needed). */
  public static <T> T load(Path file, Class<T> type) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "", "no such file");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), "", "cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text, type);
  }

  /** Parses YAML text; {@code source} names it in errors (a file name). */
  public static <T> T parse(String source, String yaml, Class<T> type) throws ConfigException {
    try {
      JsonNode tree = YAML.readTree(yaml);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        return YAML.readValue("{}", type);
      }
      if (!tree.isObject()) {
        throw new ConfigException(source, "", "expected a mapping of sections at the top level, got " + describe(tree));
      }
      return YAML.readValue(yaml, type);
    } catch (JsonMappingException e) {
      throw translate(source, e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + at(e.getLocation()), "", "not valid YAML: " + e.getOriginalMessage());
    }
  }

  /** The defaults of a config record: what an empty file gives. */
  public static <T> T defaults(Class<T> type) {
    try {
      return YAML.readValue("{}", type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the defaults of " + type.getName() + " do not validate", e);
    }
  }

  /** Writes a config record as YAML (what {@code config defaults} prints). */
  public static String toYaml(Object config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write config as YAML", e);
    }
  }

  private static ConfigException translate(String source, JsonMappingException e) {
    // The path names the key exactly; the parser's location at this point is often past the key
    // (the end of its mapping), so no line is given rather than a wrong one.
    String path = path(e.getPath());
    String where = source;
    if (e instanceof UnrecognizedPropertyException u) {
      String known =
          u.getKnownPropertyIds() == null
              ? ""
              : "; known keys: " + new TreeSet<>(u.getKnownPropertyIds().stream().map(String::valueOf).toList())
                  .stream().collect(Collectors.joining(", "));
      return new ConfigException(where, path, "unknown key" + known);
    }
    if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidValueException bad) {
      String full = path.isEmpty() ? bad.field() : path + "." + bad.field();
      return new ConfigException(where, full, bad.reason());
    }
    if (e instanceof ValueInstantiationException && e.getCause() != null) {
      return new ConfigException(where, path, e.getCause().getMessage());
    }
    if (e instanceof InvalidFormatException f) {
      return new ConfigException(where, path, "expected " + expected(f.getTargetType()) + ", got " + quote(f.getValue()));
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return new ConfigException(where, path, "expected " + expected(m.getTargetType()));
    }
    return new ConfigException(where, path, e.getOriginalMessage());
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
  }

  static String path(List<JsonMappingException.Reference> references) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (out.length() > 0) {
          out.append('.');
        }
        out.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        out.append('[').append(reference.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  static String expected(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type.isEnum()) {
      return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", "));
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  private static String describe(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "the string " + quote(node.asText());
    }
    return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  private static String quote(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }
}
