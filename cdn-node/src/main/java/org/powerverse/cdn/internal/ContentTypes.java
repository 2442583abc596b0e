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
    // Reads the first bytes in place (absolute gets, no copies or strings): this runs on every
    // path-gateway response, and its allocations were a sixth of a small cache hit's.
    int start = content.position();
    int length = Math.min(SNIFF_BYTES, content.remaining());
    if (length == 0) {
      return TEXT;
    }
    if (startsWith(content, start, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return "image/png";
    }
    if (startsWith(content, start, length, 0xFF, 0xD8, 0xFF)) {
      return "image/jpeg";
    }
    if (startsWith(content, start, length, 'G', 'I', 'F', '8')) {
      return "image/gif";
    }
    if (startsWith(content, start, length, 'R', 'I', 'F', 'F') && length >= 12
        && startsWith(content, start + 8, length - 8, 'W', 'E', 'B', 'P')) {
      return "image/webp";
    }
    if (startsWith(content, start, length, '%', 'P', 'D', 'F', '-')) {
      return "application/pdf";
    }
    if (startsWith(content, start, length, 'P', 'K', 3, 4)) {
      return "application/zip";
    }
    if (startsWith(content, start, length, 0x1F, 0x8B, 0x08)) {
      return "application/x-gzip";
    }
    if (startsWith(content, start, length, 0, 'a', 's', 'm')) {
      return "application/wasm";
    }
    if (length >= 12 && startsWith(content, start + 4, length - 4, 'f', 't', 'y', 'p')) {
      return "video/mp4";
    }
    if (startsWith(content, start, length, 0x1A, 0x45, 0xDF, 0xA3)) {
      return "video/webm";
    }
    // Markup after leading white space (Character.isWhitespace over ISO-8859-1), tags compared
    // ASCII-case-insensitively.
    int text = start;
    int end = start + length;
    while (text < end && Character.isWhitespace((char) (content.get(text) & 0xFF))) {
      text++;
    }
    for (String tag : HTML_TAGS) {
      int after = text + tag.length();
      if (after < end && startsWithIgnoringCase(content, text, end, tag)) {
        byte next = content.get(after);
        if (next == ' ' || next == '>') {
          return "text/html; charset=utf-8";
        }
      }
    }
    if (startsWithIgnoringCase(content, text, end, "<?xml")) {
      return "text/xml; charset=utf-8";
    }
    for (int i = start; i < end; i++) {
      int c = content.get(i) & 0xFF;
      // WHATWG MIME Sniffing §7.2: binary data bytes.
      if (c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1A) || (c >= 0x1C && c <= 0x1F)) {
        return BINARY;
      }
    }
    return TEXT;
  }

  private static final String[] HTML_TAGS = {"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div", "<font",
      "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<!--"};

  /** Whether the bytes at {@code from} (before {@code end}) are {@code lowerAscii}, ignoring ASCII case. */
  private static boolean startsWithIgnoringCase(ByteBuffer content, int from, int end, String lowerAscii) {
    if (end - from < lowerAscii.length()) {
      return false;
    }
    for (int i = 0; i < lowerAscii.length(); i++) {
      int c = content.get(from + i) & 0xFF;
      if (c >= 'A' && c <= 'Z') {
        c += 'a' - 'A';
      }
      if (c != lowerAscii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWith(ByteBuffer content, int from, int length, int... signature) {
    if (length < signature.length) {
      return false;
    }
    for (int i = 0; i < signature.length; i++) {
      if ((content.get(from + i) & 0xFF) != signature[i]) {
        return false;
      }
    }
    return true;
  }


}
