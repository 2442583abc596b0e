package org.powerverse.platform;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders the reference of a config record tree as Markdown: every key with its type, default and
 * {@link Doc}. docs/configuration.md is this output; a test keeps the two equal.
 */
public final class ConfigDocs {

  private ConfigDocs() {}

  /** Markdown for {@code root}: one section per top-level key, one table row per leaf key. */
  public static String markdown(Class<? extends Record> root, String preamble) {
    Record defaults = ConfigLoader.defaults(root);
    StringBuilder out = new StringBuilder(preamble);
    for (RecordComponent section : root.getRecordComponents()) {
      out.append("\n## `").append(section.getName()).append("`\n\n");
      out.append(doc(section)).append("\n\n");
      out.append("| key | type | default | meaning |\n|---|---|---|---|\n");
      Object value = read(section, defaults);
      if (section.getType().isRecord()) {
        rows(out, section.getName(), section.getType(), value);
      } else {
        row(out, section.getName(), section, value);
      }
    }
    return out.toString();
  }

  private static void rows(StringBuilder out, String prefix, Class<?> type, Object defaults) {
    for (RecordComponent component : type.getRecordComponents()) {
      String key = prefix + "." + component.getName();
      Object value = defaults == null ? null : read(component, defaults);
      if (component.getType().isRecord()) {
        rows(out, key, component.getType(), value);
      } else {
        row(out, key, component, value);
      }
    }
  }

  private static void row(StringBuilder out, String key, RecordComponent component, Object value) {
    out.append("| `").append(key).append("` | ")
        .append(typeName(component.getGenericType())).append(" | ")
        .append(render(value)).append(" | ")
        .append(doc(component).replace("|", "\\|").replace("\n", " ")).append(" |\n");
  }

  private static String doc(RecordComponent component) {
    Doc doc = component.getAnnotation(Doc.class);
    if (doc == null) {
      doc = component.getType().getAnnotation(Doc.class);
    }
    if (doc == null) {
      throw new IllegalStateException("config key " + component.getDeclaringRecord().getSimpleName() + "."
          + component.getName() + " has no @Doc");
    }
    return doc.value();
  }

  private static Object read(RecordComponent component, Object owner) {
    try {
      return component.getAccessor().invoke(owner);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + component, e);
    }
  }

  static String typeName(Type type) {
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        return "list of " + typeName(args[0]);
      }
      if (Map.class.isAssignableFrom(raw)) {
        return "map of " + typeName(args[0]) + " to " + typeName(args[1]);
      }
    }
    if (type instanceof Class<?> c) {
      if (c.isEnum()) {
        return Arrays.stream(c.getEnumConstants()).map(Object::toString).collect(Collectors.joining(" \\| "));
      }
      if (c == Integer.class || c == Long.class || c == int.class || c == long.class) {
        return "integer";
      }
      if (c == Double.class || c == double.class) {
        return "number";
      }
      if (c == Boolean.class || c == boolean.class) {
        return "boolean";
      }
      if (c == String.class) {
        return "string";
      }
      if (c.isRecord()) {
        return "mapping";
      }
      return c.getSimpleName();
    }
    return type.getTypeName();
  }

  private static String render(Object value) {
    if (value == null) {
      return "(none)";
    }
    if (value instanceof Collection<?> c && c.isEmpty()) {
      return "`[]`";
    }
    if (value instanceof Map<?, ?> m && m.isEmpty()) {
      return "`{}`";
    }
    if (value instanceof List<?> || value instanceof Map<?, ?>) {
      String yaml = ConfigLoader.toYaml(value).strip().replace("\n", ", ");
      return "`" + yaml + "`";
    }
    return "`" + value + "`";
  }
}
