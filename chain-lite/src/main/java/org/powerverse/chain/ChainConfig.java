package org.powerverse.chain;

import java.util.List;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/** The {@code chain} section of the config file. Defaults are the named constants below. */
@Doc("The PowerVerse chain node: ledger, JSON-RPC and the validator network.")
public record ChainConfig(
    @Doc("Run the chain node.")
    Boolean enabled,
    @Doc("Address the Ethereum JSON-RPC listens on; loopback by default, since it accepts transactions from anyone who reaches it.")
    String rpcHost,
    @Doc("Port of the Ethereum JSON-RPC (HTTP POST).")
    Integer rpcPort,
    @Doc("Address the validator network (P2P over TCP) listens on when chain.validatorKeyFile is set. Peers must prove a validator key of the genesis in the handshake, so it may face the internet.")
    String p2pHost,
    @Doc("Port of the validator network (TCP, length-framed messages, Ed25519 handshake; docs/chain.md). 0 picks a free port.")
    Integer p2pPort,
    @Doc("The other validators as host:port; this node dials each and redials with backoff when the connection drops. Used when chain.validatorKeyFile is set.")
    List<String> peers,
    @Doc("Path of the genesis file (JSON, docs/chain.md); required when chain.enabled is true.")
    String genesisFile,
    @Doc("Produce blocks alone, one every target block time of the genesis (single-validator mode, with a key made at start); not with chain.validatorKeyFile.")
    Boolean produceBlocks,
    @Doc("Address (0x, 40 hex digits) credited with the block rewards and tips of blocks this node produces alone (chain.produceBlocks). A network validator is paid at its staking address instead.")
    String coinbase,
    @Doc("File with this validator's Ed25519 key (64 hex digits, the seed), one of the genesis validators' keys: when set, the node validates with its peers over the validator network. Keep it readable by the supervisor only.")
    String validatorKeyFile) {

  public static final boolean DEFAULT_ENABLED = false;
  public static final String DEFAULT_RPC_HOST = "127.0.0.1";
  public static final int DEFAULT_RPC_PORT = 8545;
  public static final String DEFAULT_P2P_HOST = "0.0.0.0";
  public static final int DEFAULT_P2P_PORT = 30_333;
  public static final boolean DEFAULT_PRODUCE_BLOCKS = false;
  public static final int MAX_PEERS = 64;

  public ChainConfig {
    enabled = Check.orDefault(enabled, DEFAULT_ENABLED);
    rpcHost = Check.nonBlank("rpcHost", Check.orDefault(rpcHost, DEFAULT_RPC_HOST));
    rpcPort = Check.range("rpcPort", Check.orDefault(rpcPort, DEFAULT_RPC_PORT), 0, 65_535);
    p2pHost = Check.nonBlank("p2pHost", Check.orDefault(p2pHost, DEFAULT_P2P_HOST));
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
      Check.that(validatorKeyFile == null, "produceBlocks", "is the single-validator mode; a node with chain.validatorKeyFile produces blocks with its peers");
    }
    if (validatorKeyFile != null) {
      Check.that(!validatorKeyFile.isBlank(), "validatorKeyFile", "must not be blank");
    }
  }

  /** The section as it was before the validator network (no p2pHost, no validatorKeyFile). */
  public ChainConfig(Boolean enabled, String rpcHost, Integer rpcPort, Integer p2pPort, List<String> peers,
      String genesisFile, Boolean produceBlocks, String coinbase) {
    this(enabled, rpcHost, rpcPort, null, p2pPort, peers, genesisFile, produceBlocks, coinbase, null);
  }

  public static ChainConfig defaults() {
    return new ChainConfig(null, null, null, null, null, null, null, null, null, null);
  }
}
