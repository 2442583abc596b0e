package org.powerverse.cdn.internal;

import java.util.List;
import org.powerverse.cdn.Cid;

/**
 * The HTML index of a UnixFS directory (path gateway spec, "Generated HTML with directory
 * index"): breadcrumbs, a link per entry, its CID (with a filename parameter) and its DAG size
 * from the link's Tsize, so no child block is fetched to draw it.
 */
final class DirectoryListing {

  private DirectoryListing() {}

  static String html(Cid root, List<String> segments, List<DagReader.Entry> entries) {
    String base = "/ipfs/" + root;
    StringBuilder path = new StringBuilder(base);
    StringBuilder crumbs = new StringBuilder("/ipfs/<a href=\"").append(base).append("\">").append(root).append("</a>");
    for (String segment : segments) {
      path.append('/').append(GatewayRequest.percentEncode(segment));
      crumbs.append("/<a href=\"").append(path).append("\">").append(escape(segment)).append("</a>");
    }
    StringBuilder out = new StringBuilder(512 + entries.size() * 200);
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape("/ipfs/" + root + (segments.isEmpty() ? "" : "/" + String.join("/", segments)))).append("/</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em}td{padding:.2em 1em .2em 0}.ipfs-hash{font-family:monospace;color:#666}</style>\n")
        .append("</head>\n<body>\n<h1>Index of ").append(crumbs).append("</h1>\n<table>\n");
    if (!segments.isEmpty()) {
      out.append("<tr><td><a href=\"").append(path).append("/..\">..</a></td><td></td><td></td></tr>\n");
    }
    for (DagReader.Entry entry : entries) {
      String encoded = GatewayRequest.percentEncode(entry.name());
      out.append("<tr><td><a href=\"").append(path).append('/').append(encoded).append("\">").append(escape(entry.name()))
          .append("</a></td><td><a class=\"ipfs-hash\" translate=\"no\" href=\"/ipfs/").append(entry.cid())
          .append("?filename=").append(GatewayRequest.percentEncode(encoded)).append("\">").append(entry.cid())
          .append("</a></td><td>").append(entry.tsize()).append("</td></tr>\n");
    }
    out.append("</table>\n</body>\n</html>\n");
    return out.toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&#34;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
