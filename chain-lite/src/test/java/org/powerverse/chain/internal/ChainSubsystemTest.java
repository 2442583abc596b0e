package org.powerverse.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.ChainConfig;
import org.powerverse.chain.ChainStatus;
import org.powerverse.chain.GenesisJson;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.internal.ledger.TestChain;
import org.powerverse.platform.InvalidValueException;
import org.powerverse.platform.Job;
import org.powerverse.platform.JobWork;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.NodeIdentity;
import org.powerverse.platform.SubsystemContext;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** The subsystem as the supervisor runs it: genesis file, LMDB, JSON-RPC, block production, restart. */
@Tag("integration")
class ChainSubsystemTest {

  private static final String BOB = "0x00000000000000000000000000000000000b0b00";
  private static final String COINBASE = "0x00000000000000000000000000000000000abcde";

  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stopVertx() {
    vertx.close().await();
  }

  private static Path genesisFile() throws URISyntaxException {
    return Path.of(ChainSubsystemTest.class.getResource("/chain/test-genesis.json").toURI());
  }

  @Test
  void genesisFixtureIsTheTestChainGenesis() throws Exception {
    try (InputStream in = ChainSubsystemTest.class.getResourceAsStream("/chain/test-genesis.json")) {
      assertEquals(TestChain.genesis(4, 200), GenesisJson.parse(in.readAllBytes()));
    }
    assertThrows(IllegalArgumentException.class, () -> GenesisJson.parse("{\"chainId\":1,\"extra\":2}".getBytes()));
  }

  @Test
  void configNeedsAGenesisWhenEnabledAndACoinbaseWhenProducing() {
    assertFalse(ChainConfig.defaults().enabled());
    assertEquals(8545, ChainConfig.defaults().rpcPort());
    assertThrows(InvalidValueException.class, () -> new ChainConfig(true, null, null, null, null, null, null, null));
    assertThrows(InvalidValueException.class, () -> new ChainConfig(true, null, null, null, null, "g.json", true, null));
    assertThrows(InvalidValueException.class, () -> new ChainConfig(null, null, 70_000, null, null, null, null, null));
    assertThrows(InvalidValueException.class, () -> new ChainConfig(null, null, null, null, List.of("nohost"), null, null, null));
  }

  @Test
  void producesBlocksWithWeb3jTransfersAndKeepsThemAcrossARestart() throws Exception {
    ChainConfig config = new ChainConfig(true, "127.0.0.1", 0, null, null, genesisFile().toString(), true, COINBASE);
    ChainSubsystem chain = new ChainSubsystem(config, SenderRecovery.fastest());
    chain.start(context()).await();
    assertTrue(chain.health().isReady(), chain.health().toString());
    ChainStatus status = chain.status();
    Web3j web3 = Web3j.build(new HttpService("http://127.0.0.1:" + status.rpcPort()));
    try {
      RawTransaction raw = RawTransaction.createEtherTransaction(TestChain.CHAIN_ID, BigInteger.ZERO,
          BigInteger.valueOf(21_000), BOB, BigInteger.valueOf(12_345), TestChain.GWEI, TestChain.GWEI.multiply(BigInteger.TEN));
      String signed = Numeric.toHexString(TransactionEncoder.signMessage(raw, TestChain.CHAIN_ID,
          Credentials.create(Numeric.toHexString(TestChain.key(0)))));
      String hash = web3.ethSendRawTransaction(signed).send().getTransactionHash();
      // Blocks come every 200 ms; wait for the receipt, bounded (a condition, not a timing assertion).
      long deadline = System.nanoTime() + 30_000_000_000L;
      Optional<?> receipt = Optional.empty();
      while (receipt.isEmpty() && System.nanoTime() < deadline) {
        receipt = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
        if (receipt.isEmpty()) {
          Thread.sleep(50);
        }
      }
      assertTrue(receipt.isPresent(), "no receipt within 30 s");
      assertEquals(BigInteger.valueOf(12_345), web3.ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance());
    } finally {
      web3.shutdown();
    }
    chain.stop().await();
    long height = chain.status().height(); // stopped: status falls back to disabled-like zeros
    assertEquals(0, height);

    ChainSubsystem again = new ChainSubsystem(new ChainConfig(true, "127.0.0.1", 0, null, null, genesisFile().toString(),
        false, null), SenderRecovery.fastest());
    again.start(context()).await();
    try {
      ChainStatus after = again.status();
      assertTrue(after.height() >= 1, after.toString());
      assertFalse(after.validator());
      Web3j web3Again = Web3j.build(new HttpService("http://127.0.0.1:" + after.rpcPort()));
      assertEquals(BigInteger.valueOf(12_345), web3Again.ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance());
      web3Again.shutdown();
    } finally {
      again.stop().await();
    }
  }

  @Test
  void disabledChainStartsAndReportsItself() {
    ChainSubsystem chain = new ChainSubsystem(ChainConfig.defaults(), SenderRecovery.bouncyCastle());
    chain.start(context()).await();
    assertTrue(chain.health().isReady());
    assertFalse(chain.status().enabled());
    chain.stop().await();
  }

  private SubsystemContext context() {
    NodeIdentity identity = new NodeIdentity() {
      public String nodeId() { return "12D3KooWtest"; }
      public String did() { return "did:pkh:eip155:1:0x0"; }
      public String accountAddress() { return "0x0"; }
      public byte[] ed25519PublicKey() { return new byte[32]; }
      public byte[] signEd25519(byte[] message) { return new byte[64]; }
      public String tlsFingerprint() { return "00"; }
    };
    Jobs noJobs = new Jobs() {
      public Job submit(String kind, JobWork work) { throw new UnsupportedOperationException("chain submits no jobs"); }
      public Optional<Job> find(String id) { return Optional.empty(); }
      public List<Job> list(int limit) { return List.of(); }
      public Optional<Job> cancel(String id) { return Optional.empty(); }
    };
    return new SubsystemContext(vertx, dir, Clock.systemUTC(), new SecureRandom(), identity, noJobs, new SimpleMeterRegistry());
  }
}
