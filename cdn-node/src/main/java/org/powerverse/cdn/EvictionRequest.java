package org.powerverse.cdn;

/**
 * The body of {@code POST /api/v1/cdn/evictions}.
 *
 * @param cid the root of the DAG whose unpinned blocks to evict; absent: every unpinned block
 */
public record EvictionRequest(String cid) {}
