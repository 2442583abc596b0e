package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.chain.ChainConfig;

/** chain-lite as the supervisor runs it: config section, LMDB under DATA, status in the API contract. */
@Tag("integration")
class ChainApiTest {

  private static final String GENESIS = """
      {"chainId": 7777, "timestamp": 1800000000, "listingTime": 1800000000, "targetBlockTimeMillis": 200,
       "gasLimit": 30000000, "initialBaseFee": "1000000000", "unbondingBlocks": 10,
       "minimumStake": "100000000000000000000", "foundation": "0x00000000000000000000000000000000000f0f0f",
       "allocations": [{"name": "test-0", "address": "0xc50d87f19c20dfdd140a387a20365f7e4198ca6a",
                        "amount": "1000000000000000000000", "vesting": []}]}
      """;

  @TempDir static Path data;
  @TempDir static Path etc;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    Path genesis = Files.writeString(etc.resolve("genesis.json"), GENESIS);
    ChainConfig chain = new ChainConfig(true, "127.0.0.1", 0, null, null, genesis.toString(), true,
        "0x00000000000000000000000000000000000abcde");
    node = TestNode.start(data, config -> config.withChain(chain));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void statusMatchesTheContractAndTheChainAdvances() throws Exception {
    // Blocks come every 200 ms once the subsystem is ready; wait for height 2 with a deadline
    // (wiring, not timing).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    TestNode.Response status;
    JsonObject json;
    do {
      status = node.get("/api/v1/chain/status");
      json = status.status() == 200 ? status.json() : new JsonObject();
      if (json.getLong("height", 0L) >= 2) {
        break;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertEquals(200, status.status(), status.body());
    node.assertMatchesContract("getChainStatus", status);
    assertEquals(7777, json.getLong("chainId"));
    assertTrue(json.getBoolean("validator"), json.encode());
    assertTrue(json.getLong("height") >= 2, "no blocks within 30 s: " + json.encode());
    assertTrue(json.getInteger("rpcPort") > 0, json.encode());
    assertTrue(Files.isDirectory(data.resolve("chain")), "the ledger lives under DATA/chain");
    assertEquals(200, node.get("/readyz", null).status(), node.get("/readyz", null).body());
  }

  @Test
  void aReaderlessRequestIsRefused() throws Exception {
    assertEquals(401, node.get("/api/v1/chain/status", null).status());
  }
}
