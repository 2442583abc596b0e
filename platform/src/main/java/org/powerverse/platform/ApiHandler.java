package org.powerverse.platform;

/** Handles one OpenAPI operation. Throw {@link ApiProblem} to answer with a problem. */
@FunctionalInterface
public interface ApiHandler {
  ApiResponse handle(ApiRequest request) throws Exception;
}
