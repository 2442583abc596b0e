package org.powerverse.chain;

import java.util.List;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/** The {@code chain} section of the config file. Defaults are the named constants below. */
@Doc("The PowerVerse chain node: ledger, JSON-RPC and (later) the validator network.")
public record ChainConfig(
    @Doc("Run the chain node.")
    Boolean enabled,
    @Doc("Address the Ethereum JSON-RPC listens on; loopback by default, since it accepts transactions from anyone who reaches it.")
    String rpcHost,
    @Doc("Port of the Ethereum JSON-RPC (HTTP POST).")
    Integer rpcPort,
    @Doc("Port of the validator network (reserved: the P2P layer is not written yet).")
    Integer p2pPort,
    @Doc("Validator peers as host:port (reserved: the P2P layer is not written yet).")
    List<String> peers,
    @Doc("Path of the genesis file (JSON, docs/chain.md); required when chain.enabled is true.")
    String genesisFile,
    @Doc("Produce blocks alone, one every target block time of the genesis (single-validator devnet mode, until the consensus network is wired).")
    Boolean produceBlocks,
    @Doc("Address (0x, 40 hex digits) credited with the block rewards and tips of blocks this node produces.")
    String coinbase) {

  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_RPC_HOST = "127.0.0.1";
  public static final int DEFAULT_RPC_PORT = 8545;
  public static final int DEFAULT_P2P_PORT = 30_333;
  public static final boolean DEFAULT_PRODUCE_BLOCKS = false;
  public static final int MAX_PEERS = 64;

  public ChainConfig {
    enabled = Check.orDefault(enabled, DEFAULT_ENABLED);
    rpcHost = Check.nonBlank("rpcHost", Check.orDefault(rpcHost, DEFAULT_RPC_HOST));
    rpcPort = Check.range("rpcPort", Check.orDefault(rpcPort, DEFAULT_RPC_PORT), 0, 65_535);
    p2pPort = Check.range("p2pPort", Check.orDefault(p2pPort, DEFAULT_P2P_PORT), 0, 65_535);
    peers = List.copyOf(Check.maxSize("peers", Check.orDefault(peers, List.of()), MAX_PEERS));
    for (int i = 0; i < peers.size(); i++) {
      Check.that(peers.get(i).matches("[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}"), "peers[" + i + "]",
          "expected host:port, got \"" + peers.get(i) + "\"");
    }
    produceBlocks = Check.orDefault(produceBlocks, DEFAULT_PRODUCE_BLOCKS);
    if (enabled) {
      Check.that(genesisFile != null && !genesisFile.isBlank(), "genesisFile", "required when chain.enabled is true");
    }
    if (coinbase != null) {
      Check.that(coinbase.matches("0x[0-9a-fA-F]{40}"), "coinbase", "expected 0x and 40 hex digits, got \"" + coinbase + "\"");
    }
    if (produceBlocks) {
      Check.that(coinbase != null, "coinbase", "required when chain.produceBlocks is true");
    }
  }

  public static ChainConfig defaults() {
    return new ChainConfig(null, null, null, null, null, null, null, null);
  }
}
