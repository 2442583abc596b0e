package org.powerverse.cdn;

/**
 * The cache as {@code GET /api/v1/cdn/stats} shows it.
 *
 * @param maxBytes the configured bound on stored block bytes
 * @param bytesUsed bytes of all stored blocks
 * @param blocks stored blocks
 * @param pinnedBytes bytes of pinned blocks (never evicted; they count against the bound)
 * @param pins pinned roots
 * @param hits block lookups served from the store since start
 * @param misses block lookups the store could not serve since start
 * @param hitRatio hits / (hits + misses), 0 before any lookup
 * @param evictions blocks evicted by the size bound since start
 * @param evictedBytes bytes of those blocks
 * @param originFetches blocks fetched from upstream gateways since start
 * @param originFailures upstream requests that failed or returned data that did not verify
 */
public record CdnStats(
    long maxBytes,
    long bytesUsed,
    long blocks,
    long pinnedBytes,
    long pins,
    long hits,
    long misses,
    double hitRatio,
    long evictions,
    long evictedBytes,
    long originFetches,
    long originFailures) {}
