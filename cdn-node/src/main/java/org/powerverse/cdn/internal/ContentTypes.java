package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;

/**
 * Content-Type for deserialized files (path gateway spec, "Content-Type"): by the file name's
 * extension first, then by the first bytes, after the signatures of the WHATWG MIME Sniffing
 * standard (§7.1) as Go's {@code http.DetectContentType}, which Kubo uses, applies them.
 */
final class ContentTypes {

  static final int SNIFF_BYTES = 512;
  static final String TEXT = "text/plain; charset=utf-8";
  static final String BINARY = "application/octet-stream";

  private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
      Map.entry("txt", TEXT), Map.entry("md", "text/markdown; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("json", "application/json"),
      Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"),
      Map.entry("ico", "image/x-icon"), Map.entry("pdf", "application/pdf"),
      Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"),
      Map.entry("ogg", "audio/ogg"), Map.entry("wav", "audio/wav"), Map.entry("wasm", "application/wasm"),
      Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
      Map.entry("car", "application/vnd.ipld.car"), Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"),
      Map.entry("csv", "text/csv; charset=utf-8"));

  private ContentTypes() {}

  /** The type of a file named {@code name} (nullable) whose content starts with {@code head}. */
  static String of(String name, ByteBuffer head) {
    if (name != null) {
      int dot = name.lastIndexOf('.');
      if (dot >= 0 && dot < name.length() - 1) {
        String type = BY_EXTENSION.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        if (type != null) {
          return type;
        }
      }
    }
    return sniff(head);
  }

  static String sniff(ByteBuffer content) {
    byte[] head = new byte[Math.min(SNIFF_BYTES, content.remaining())];
    content.duplicate().get(head);
    if (head.length == 0) {
      return TEXT;
    }
    if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(head, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (startsWith(head, 'R', 'I', 'F', 'F') && head.length >= 12 && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P') {
      return "image/webp";
    }
    if (startsWith(head, '%', 'P', 'D', 'F', '-')) {
      return "application/pdf";
    }
    if (startsWith(head, 'P', 'K', 3, 4)) {
      return "application/zip";
    }
    if (startsWith(head, 0x1F, 0x8B, 0x08)) {
      return "application/x-gzip";
    }
    if (startsWith(head, 0, 'a', 's', 'm')) {
      return "application/wasm";
    }
    if (head.length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
      return "video/mp4";
    }
    if (startsWith(head, 0x1A, 0x45, 0xDF, 0xA3)) {
      return "video/webm";
    }
    String text = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
    for (String tag : new String[] {"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font",
        "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--"}) {
      if (text.startsWith(tag) && text.length() > tag.length()
          && (text.charAt(tag.length()) == ' ' || text.charAt(tag.length()) == '>')) {
        return "text/html; charset=utf-8";
      }
    }
    if (text.startsWith("<?xml")) {
      return "text/xml; charset=utf-8";
    }
    for (byte b : head) {
      int c = b & 0xFF;
      // WHATWG MIME Sniffing §7.2: binary data bytes.
      if (c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) || (c >= 0x1C && c <= 0x1F)) {
        return BINARY;
      }
    }
    return TEXT;
  }

  private static boolean startsWith(byte[] head, int... signature) {
    if (head.length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((head[i] & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }
}
