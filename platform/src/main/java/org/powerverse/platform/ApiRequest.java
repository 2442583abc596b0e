package org.powerverse.platform;

import java.util.Optional;

/**
 * A request that has passed authentication, authorisation and validation against the OpenAPI
 * contract. Parameters arrive already checked against their schemas.
 */
public interface ApiRequest {

  String operationId();

  /** Who is calling; {@code null} only for operations the contract marks public. */
  Principal principal();

  /** A path parameter; the contract guarantees it is present. */
  String pathParam(String name);

  /** A query parameter, as validated (numbers, booleans and strings as their schema says). */
  Optional<Object> queryParam(String name);

  /** A request header (case-insensitive name). */
  Optional<String> header(String name);

  /**
   * The JSON body mapped to {@code type}. A value the schema allowed but the type rejects (a
   * record's own checks) becomes a 400 problem naming the field.
   */
  <T> T body(Class<T> type);
}
