package org.powerverse.chain.internal.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.ledger.TestChain;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/** web3j, the Java client wallets and dapps use, against our JSON-RPC on loopback. */
@Tag("integration")
class JsonRpcWeb3jTest {

  private static final String BOB = "0x00000000000000000000000000000000000b0b00";

  @TempDir
  Path dir;

  private Vertx vertx;
  private ChainNode node;
  private JsonRpcServer server;
  private HttpService http;
  private Web3j web3;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Clock clock = Clock.fixed(Instant.ofEpochSecond(TestChain.GENESIS_TIME + 100), ZoneOffset.UTC);
    node = new ChainNode(new Ledger(TestChain.genesis(4, 1_000)), dir, SenderRecovery.fastest(), clock);
    server = new JsonRpcServer(vertx, new JsonRpc(node));
    int port = server.listen("127.0.0.1", 0).await();
    http = new HttpService("http://127.0.0.1:" + port);
    web3 = Web3j.build(http);
  }

  @AfterEach
  void stop() {
    web3.shutdown();
    server.close().await();
    vertx.close().await();
    node.close();
  }

  private String signed1559(int key, long nonce, BigInteger value) {
    RawTransaction raw = RawTransaction.createEtherTransaction(TestChain.CHAIN_ID, BigInteger.valueOf(nonce),
        BigInteger.valueOf(21_000), BOB, value, TestChain.GWEI, TestChain.GWEI.multiply(BigInteger.valueOf(3)));
    return Numeric.toHexString(TransactionEncoder.signMessage(raw, TestChain.CHAIN_ID, Credentials.create(Numeric.toHexString(TestChain.key(key)))));
  }

  private String signedLegacy(int key, long nonce, BigInteger value) {
    RawTransaction raw = RawTransaction.createEtherTransaction(BigInteger.valueOf(nonce), TestChain.GWEI.multiply(BigInteger.TWO),
        BigInteger.valueOf(21_000), BOB, value);
    return Numeric.toHexString(TransactionEncoder.signMessage(raw, TestChain.CHAIN_ID, Credentials.create(Numeric.toHexString(TestChain.key(key)))));
  }

  @Test
  void identifiesTheChain() throws Exception {
    assertEquals(BigInteger.valueOf(TestChain.CHAIN_ID), web3.ethChainId().send().getChainId());
    assertEquals(Long.toString(TestChain.CHAIN_ID), web3.netVersion().send().getNetVersion());
    assertEquals(JsonRpc.CLIENT_VERSION, web3.web3ClientVersion().send().getWeb3ClientVersion());
    assertEquals(BigInteger.ZERO, web3.ethBlockNumber().send().getBlockNumber());
    assertEquals(TestChain.FUNDS, web3.ethGetBalance(TestChain.address(0).toString(), DefaultBlockParameterName.LATEST).send().getBalance());
    // Genesis used no gas: base fee 7/8 gwei, plus the suggested 1 gwei tip.
    assertEquals(BigInteger.valueOf(1_875_000_000L), web3.ethGasPrice().send().getGasPrice());
    assertEquals(TestChain.GWEI, web3.ethMaxPriorityFeePerGas().send().getMaxPriorityFeePerGas());
  }

  @Test
  void signedTransfersAreAcceptedMinedAndReported() throws Exception {
    String first = signed1559(0, 0, BigInteger.valueOf(1_000));
    EthSendTransaction sent = web3.ethSendRawTransaction(first).send();
    assertNull(sent.getError(), () -> sent.getError().getMessage());
    assertEquals(Hash.sha3(first), sent.getTransactionHash());
    String legacy = signedLegacy(1, 0, BigInteger.valueOf(7));
    String legacyHash = web3.ethSendRawTransaction(legacy).send().getTransactionHash();
    assertEquals(Hash.sha3(legacy), legacyHash);

    var pending = web3.ethGetTransactionByHash(sent.getTransactionHash()).send().getTransaction().orElseThrow();
    assertNull(pending.getBlockHash());
    assertEquals(TestChain.address(0).toString(), pending.getFrom());
    assertEquals(BigInteger.ONE, web3.ethGetTransactionCount(TestChain.address(0).toString(), DefaultBlockParameterName.PENDING).send().getTransactionCount());
    assertTrue(web3.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt().isEmpty());

    Ledger.Executed executed = node.produce(TestChain.PROPOSER);
    assertEquals(2, executed.block().transactions().size());

    TransactionReceipt receipt = web3.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt().orElseThrow();
    assertTrue(receipt.isStatusOK());
    assertEquals(BigInteger.valueOf(21_000), receipt.getGasUsed());
    assertEquals(BigInteger.ONE, receipt.getBlockNumber());
    assertEquals(executed.block().hash().toString(), receipt.getBlockHash());
    assertEquals(BigInteger.ONE, web3.ethBlockNumber().send().getBlockNumber());
    assertEquals(BigInteger.valueOf(1_007), web3.ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance());
    BigInteger price = new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16);
    assertEquals(TestChain.FUNDS.subtract(BigInteger.valueOf(1_000)).subtract(price.multiply(BigInteger.valueOf(21_000))),
        web3.ethGetBalance(TestChain.address(0).toString(), DefaultBlockParameterName.LATEST).send().getBalance());
    assertEquals(BigInteger.ONE, web3.ethGetTransactionCount(TestChain.address(0).toString(), DefaultBlockParameterName.LATEST).send().getTransactionCount());
    var mined = web3.ethGetTransactionByHash(legacyHash).send().getTransaction().orElseThrow();
    assertEquals(executed.block().hash().toString(), mined.getBlockHash());
    assertEquals(TestChain.address(1).toString(), mined.getFrom());

    EthBlock.Block block = web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.ONE), true).send().getBlock();
    assertEquals(executed.block().hash().toString(), block.getHash());
    assertEquals(2, block.getTransactions().size());
    assertEquals(block.getHash(), web3.ethGetBlockByHash(block.getHash(), false).send().getBlock().getHash());
    assertEquals(BigInteger.valueOf(42_000), block.getGasUsed());
    assertNull(web3.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.TEN), false).send().getBlock());

    EthFeeHistory.FeeHistory history = web3.ethFeeHistory(2, DefaultBlockParameterName.LATEST, List.of(50.0)).send().getFeeHistory();
    assertEquals(BigInteger.ZERO, history.getOldestBlock());
    assertEquals(3, history.getBaseFeePerGas().size());
    assertEquals(node.nextBaseFee(), history.getBaseFeePerGas().get(2));
    assertEquals(2, history.getReward().size());
  }

  @Test
  void refusalsCarryGethsCodesAndReasons() throws Exception {
    web3.ethSendRawTransaction(signed1559(0, 0, BigInteger.ONE)).send();
    node.produce(TestChain.PROPOSER);
    EthSendTransaction stale = web3.ethSendRawTransaction(signed1559(0, 0, BigInteger.TWO)).send();
    assertEquals(-32000, stale.getError().getCode());
    assertTrue(stale.getError().getMessage().startsWith("nonce too low"), stale.getError().getMessage());
    EthSendTransaction garbage = web3.ethSendRawTransaction("0x02c0").send();
    assertEquals(-32000, garbage.getError().getCode());
    var unknown = new Request<>("eth_mine", List.of(), http, VoidResponse.class).send();
    assertEquals(-32601, unknown.getError().getCode());
    var badParams = new Request<>("eth_getBalance", List.of("0x1234", "latest"), http, VoidResponse.class).send();
    assertEquals(-32602, badParams.getError().getCode());
    var historic = web3.ethGetBalance(BOB, DefaultBlockParameter.valueOf(BigInteger.ZERO)).send();
    assertEquals(-32000, historic.getError().getCode());
  }

  /** Status and body of one plain HTTP exchange (java.base only). */
  private record Answer(int status, String body) {}

  private Answer exchange(String method, byte[] body) throws Exception {
    var connection = (java.net.HttpURLConnection) java.net.URI.create(http.getUrl()).toURL().openConnection();
    connection.setRequestMethod(method);
    if (body != null) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(body.length);
      try (var out = connection.getOutputStream()) {
        out.write(body);
      } catch (java.io.IOException closedEarly) {
        // the server may answer 413 and close before the whole body is sent
      }
    }
    int status = connection.getResponseCode();
    var stream = status < 400 ? connection.getInputStream() : connection.getErrorStream();
    String text = stream == null ? "" : new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    connection.disconnect();
    return new Answer(status, text);
  }

  @Test
  void refusesOversizedBodiesAndNonPostAndAnswersBatches() throws Exception {
    assertEquals(413, exchange("POST", new byte[JsonRpcServer.MAX_BODY_BYTES + 1]).status());
    assertEquals(405, exchange("GET", null).status());
    Answer batch = exchange("POST", ("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"},"
        + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"net_version\"}]").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var answers = org.powerverse.platform.Json.MAPPER.readTree(batch.body());
    assertEquals("0x1e61", answers.get(0).get("result").asText());
    assertEquals("7777", answers.get(1).get("result").asText());
    Answer broken = exchange("POST", "{".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(-32700, org.powerverse.platform.Json.MAPPER.readTree(broken.body()).get("error").get("code").asInt());
  }

  @Test
  void accountsWithoutCodeAnswerCallsAndEstimates() throws Exception {
    var call = org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(
        TestChain.address(0).toString(), BOB, "0x");
    assertEquals(BigInteger.valueOf(21_000), web3.ethEstimateGas(call).send().getAmountUsed());
    assertEquals("0x", web3.ethCall(call, DefaultBlockParameterName.LATEST).send().getValue());
    assertEquals("0x", web3.ethGetCode(BOB, DefaultBlockParameterName.LATEST).send().getCode());
    assertEquals("0x" + "00".repeat(32), web3.ethGetStorageAt(BOB, BigInteger.ZERO, DefaultBlockParameterName.LATEST).send().getData());
    var filter = new org.web3j.protocol.core.methods.request.EthFilter(DefaultBlockParameterName.EARLIEST,
        DefaultBlockParameterName.LATEST, BOB);
    assertEquals(List.of(), web3.ethGetLogs(filter).send().getLogs());
    var staking = org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(
        TestChain.address(0).toString(), "0x0000000000000000000000000000000000001000", "0x3ccfd60b");
    assertNotNull(web3.ethEstimateGas(staking).send().getAmountUsed());
    assertEquals(BigInteger.valueOf(21_000 + 4 * 16 + 40_000), web3.ethEstimateGas(staking).send().getAmountUsed());
  }
}
