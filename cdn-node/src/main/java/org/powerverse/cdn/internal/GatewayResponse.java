package org.powerverse.cdn.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway answers: status, headers in order, and the body as buffers to write in turn
 * (views into the blockstore's memory map, or small buffers the gateway built), never copied.
 *
 * @param status the HTTP status
 * @param headers response headers, in the order they are sent
 * @param body the body parts; empty for HEAD and bodiless statuses
 * @param length the body's length in bytes, or -1 when it is not sent (HEAD of a CAR)
 */
public record GatewayResponse(int status, Map<String, String> headers, List<ByteBuffer> body, long length) {

  public GatewayResponse {
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    body = List.copyOf(body);
  }

  /** An error (or redirect) with a short plain-text body. */
  public static GatewayResponse text(int status, String message, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", "text/plain; charset=utf-8");
    all.put("X-Content-Type-Options", "nosniff");
    byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
    return new GatewayResponse(status, all, List.of(ByteBuffer.wrap(bytes)), bytes.length);
  }

  public static GatewayResponse text(int status, String message) {
    return text(status, message, Map.of());
  }

  /** The same response without its body (for HEAD), keeping the headers. */
  public GatewayResponse withoutBody() {
    return new GatewayResponse(status, headers, List.of(), length);
  }
}
