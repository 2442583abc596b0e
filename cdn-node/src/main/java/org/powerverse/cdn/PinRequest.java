package org.powerverse.cdn;

/**
 * The body of {@code POST /api/v1/cdn/pins}.
 *
 * @param cid the root of the DAG to pin
 */
public record PinRequest(String cid) {}
