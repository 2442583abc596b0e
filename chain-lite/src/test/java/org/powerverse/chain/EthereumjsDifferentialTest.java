package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.internal.Rlp;
import org.powerverse.platform.Json;

/**
 * @ethereumjs/tx (pinned in src/test/oracle/package-lock.json, installed by install.sh into
 * target/oracle) as a second, independent differential oracle.
 */
@Tag("integration")
class EthereumjsDifferentialTest {

  static final HexFormat HEX = HexFormat.of();
  static Process oracle;
  static BufferedWriter requests;
  static BufferedReader answers;

  @BeforeAll
  static void startOracle() throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"),
        "node (>= 20) and npm are needed to install and run the @ethereumjs/tx oracle");
    Path log = Path.of("target", "oracle-install.log");
    Files.createDirectories(log.getParent());
    Process install = new ProcessBuilder("bash", "src/test/oracle/install.sh", "target/oracle")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!install.waitFor(300, TimeUnit.SECONDS) || install.exitValue() != 0) {
      install.destroyForcibly();
      throw new IllegalStateException("oracle install failed: " + Files.readString(log));
    }
    oracle = new ProcessBuilder("node", "target/oracle/ethereumjs-oracle.mjs")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    requests = new BufferedWriter(new OutputStreamWriter(oracle.getOutputStream(), StandardCharsets.UTF_8));
    answers = new BufferedReader(new InputStreamReader(oracle.getInputStream(), StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stopOracle() throws Exception {
    if (oracle != null) {
      requests.close();
      if (!oracle.waitFor(10, TimeUnit.SECONDS)) {
        oracle.destroyForcibly();
      }
    }
  }

  static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  static JsonNode ask(ObjectNode request) throws IOException {
    requests.write(Json.string(request));
    requests.newLine();
    requests.flush();
    String line = answers.readLine();
    if (line == null) {
      throw new IllegalStateException("the oracle exited");
    }
    return Json.MAPPER.readTree(line);
  }

  static ObjectNode describeForSigning(Transaction tx) {
    ObjectNode t = Json.MAPPER.createObjectNode();
    t.put("type", tx.type());
    t.put("chainId", Long.toString(tx.chainId()));
    t.put("nonce", Long.toString(tx.nonce()));
    t.put("gasLimit", Long.toString(tx.gasLimit()));
    if (tx.to().isPresent()) {
      t.put("to", tx.to().get().toString());
    } else {
      t.putNull("to");
    }
    t.put("value", tx.value().toString());
    t.put("data", "0x" + HEX.formatHex(tx.data()));
    switch (tx) {
      case LegacyTransaction legacy -> t.put("gasPrice", legacy.gasPrice().toString());
      case DynamicFeeTransaction dynamic -> {
        t.put("maxFeePerGas", dynamic.maxFeePerGas().toString());
        t.put("maxPriorityFeePerGas", dynamic.maxPriorityFeePerGas().toString());
        ArrayNode list = t.putArray("accessList");
        for (AccessListEntry entry : dynamic.accessList()) {
          ArrayNode pair = list.addArray();
          pair.add(entry.address().toString());
          ArrayNode keys = pair.addArray();
          entry.storageKeys().forEach(key -> keys.add(key.toString()));
        }
      }
    }
    return t;
  }

  static ObjectNode decodeRequest(byte[] raw, long chainId) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("op", "decode");
    request.put("raw", "0x" + HEX.formatHex(raw));
    request.put("chainId", Long.toString(chainId));
    return request;
  }

  @Test
  void signsTheSameBytesAsEthereumjs() throws Exception {
    SplittableRandom random = new SplittableRandom(10_1_3);
    for (int i = 0; i < 200; i++) {
      byte[] key = RandomTransactions.privateKey(random);
      Transaction tx = RandomTransactions.transaction(random);
      ObjectNode request = Json.MAPPER.createObjectNode();
      request.put("op", "sign");
      request.set("tx", describeForSigning(tx));
      request.put("privateKey", "0x" + HEX.formatHex(key));
      JsonNode answer = ask(request);
      assertTrue(answer.has("raw"), answer.toString());
      assertEquals(answer.get("raw").asText(), "0x" + HEX.formatHex(Transactions.sign(tx, key).encoded()),
          tx.toString());
    }
  }

  @Test
  void decodesLikeEthereumjs() throws Exception {
    SplittableRandom random = new SplittableRandom(2930);
    for (int i = 0; i < 200; i++) {
      byte[] key = RandomTransactions.privateKey(random);
      SignedTransaction signed = Transactions.sign(RandomTransactions.transaction(random), key);
      SignedTransaction ours = Transactions.decode(signed.encoded());
      Transaction tx = ours.transaction();
      JsonNode theirs = ask(decodeRequest(signed.encoded(), tx.chainId()));
      assertTrue(!theirs.has("error"), theirs.toString());
      assertEquals(tx.type(), theirs.get("type").asInt());
      assertEquals(Long.toString(tx.chainId()), theirs.get("chainId").asText());
      assertEquals(Long.toString(tx.nonce()), theirs.get("nonce").asText());
      assertEquals(Long.toString(tx.gasLimit()), theirs.get("gasLimit").asText());
      assertEquals(tx.to().map(Address::toString).orElse(null),
          theirs.get("to").isNull() ? null : theirs.get("to").asText());
      assertEquals(tx.value().toString(), theirs.get("value").asText());
      assertEquals("0x" + HEX.formatHex(tx.data()), theirs.get("data").asText());
      assertEquals(ours.signature().r().toString(), theirs.get("r").asText());
      assertEquals(ours.signature().s().toString(), theirs.get("s").asText());
      assertEquals(ours.sender(SenderRecovery.bouncyCastle()).orElseThrow().toString(),
          theirs.get("from").asText());
      assertEquals(ours.hash().toString(), theirs.get("hash").asText());
      if (tx instanceof DynamicFeeTransaction dynamic) {
        assertEquals(dynamic.maxFeePerGas().toString(), theirs.get("maxFeePerGas").asText());
        assertEquals(dynamic.maxPriorityFeePerGas().toString(), theirs.get("maxPriorityFeePerGas").asText());
        assertEquals(dynamic.accessList().size(), theirs.get("accessList").size());
      } else {
        assertEquals(((LegacyTransaction) tx).gasPrice().toString(), theirs.get("gasPrice").asText());
      }
    }
  }

  @Test
  void bothRefuseNonCanonicalAndMalleatedEncodings() throws Exception {
    TestVectors.Record example = TestVectors.read("/tx/eip155-example.txt").get(0);
    List<byte[]> malformed = new ArrayList<>();
    List<byte[]> fields = TransactionsTest.exampleFields();
    malformed.add(with(fields, 0, HEX.parseHex("820009")));    // integer with a leading zero
    malformed.add(with(fields, 0, HEX.parseHex("8109")));      // single byte as a string
    malformed.add(with(fields, 3, HEX.parseHex("b814" + "35".repeat(20)))); // long form, 20 bytes
    BigInteger s = new BigInteger(example.text("s"));
    List<byte[]> highS = new ArrayList<>(fields);
    highS.set(6, Rlp.encodeInteger(38));
    malformed.add(with(highS, 8, Rlp.encodeInteger(TransactionSignature.CURVE_ORDER.subtract(s))));
    byte[] raw = example.hex("signed");
    malformed.add(java.util.Arrays.copyOf(raw, raw.length + 1)); // trailing byte
    for (byte[] bad : malformed) {
      assertThrows(InvalidTransactionException.class, () -> Transactions.decode(bad));
      JsonNode theirs = ask(decodeRequest(bad, 1));
      assertTrue(theirs.has("error"), "ethereumjs accepted 0x" + HEX.formatHex(bad) + ": " + theirs);
    }
  }

  static byte[] with(List<byte[]> fields, int index, byte[] replacement) {
    List<byte[]> copy = new ArrayList<>(fields);
    copy.set(index, replacement);
    return Rlp.encodeList(copy);
  }
}
