package org.powerverse.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: a status, a body the API layer serialises as JSON (null for none), and
 * extra headers.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {

  public ApiResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    headers = Map.copyOf(headers);
  }

  public static ApiResponse ok(Object body) {
    return new ApiResponse(200, body, Map.of());
  }

  public static ApiResponse created(Object body, String location) {
    return new ApiResponse(201, body, Map.of("Location", location));
  }

  /** 202 with the job that carries the work; {@code Location} points at the job. */
  public static ApiResponse accepted(Job job) {
    return new ApiResponse(202, job, Map.of("Location", "/api/v1/jobs/" + job.id()));
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, null, Map.of());
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiResponse(status, body, more);
  }
}
