package org.powerverse.chain;

/** {@code GET /api/v1/chain/status}. */
public record ChainStatus(boolean enabled, long chainId, long height, long round, String headHash, int peers,
    boolean validator, int rpcPort, int pendingTransactions) {}
