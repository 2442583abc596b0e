package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.Json;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import picocli.CommandLine;

/**
 * {@code chain devnet} end to end: four validator processes (child JVMs) on loopback finalize
 * web3j transfers with the same block hashes; after one is killed with SIGKILL the other three
 * keep finalizing; restarted, it catches up to the same chain.
 */
@Tag("integration")
class DevnetProcessesTest {

  private static final String BOB = "0x00000000000000000000000000000000000b0b00";

  private final List<Process> processes = new ArrayList<>(List.of());
  private final List<Web3j> clients = new ArrayList<>();

  @AfterEach
  void stopAll() throws InterruptedException {
    clients.forEach(Web3j::shutdown);
    for (Process p : processes) {
      if (p != null) {
        p.destroy();
      }
    }
    for (Process p : processes) {
      if (p != null && !p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void fourValidatorProcessesFinalizeTransfersSurviveAKillAndCatchUp() throws Exception {
    Path root = Path.of("target", "devnet-it").toAbsolutePath();
    deleteTree(root);
    Path dir = root.resolve("net");
    int basePort = freeBasePort(8);
    StringWriter out = new StringWriter();
    DevnetCommand devnet = new DevnetCommand();
    devnet.random = new Random(42);
    CommandLine cli = new CommandLine(new ChainCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    assertEquals(0, cli.execute("devnet", "--validators", "4", "--dir", dir.toString(), "--base-port",
        String.valueOf(basePort), "--block-time-ms", "150"), out.toString());
    JsonNode devnetJson = Json.MAPPER.readTree(dir.resolve("devnet.json").toFile());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("devnet.json"))), "devnet.json lists private keys");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("v0/validator.key"))));
    long chainId = devnetJson.get("chainId").asLong();
    Credentials alice = Credentials.create(devnetJson.get("accounts").get(0).get("privateKey").asText());
    Credentials carol = Credentials.create(devnetJson.get("accounts").get(1).get("privateKey").asText());

    for (int i = 0; i < 4; i++) {
      processes.add(start(dir, i));
      clients.add(Web3j.build(new HttpService(devnetJson.get("rpc").get(i).asText())));
    }
    for (int i = 0; i < 4; i++) {
      int v = i;
      await(() -> height(v) >= 2, 180, "validator " + i + " finalizes blocks (log " + log(dir, v) + ")");
    }

    // Transfers sent to two different validators: gossiped to the proposers, final everywhere.
    List<String> hashes = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      hashes.add(send(clients.get(0), alice, chainId, n, 1_000 + n));
      hashes.add(send(clients.get(2), carol, chainId, n, 2_000 + n));
    }
    long included = 0;
    for (String hash : hashes) {
      TransactionReceipt receipt = awaitReceipt(clients.get(1), hash);
      assertTrue(receipt.isStatusOK(), hash);
      included = Math.max(included, receipt.getBlockNumber().longValueExact());
    }
    long last = included;
    await(() -> minHeight(List.of(0, 1, 2, 3)) >= last, 60, "all four reach height " + last);
    assertSameBlocks(List.of(0, 1, 2, 3), 1, last);
    BigInteger expected = BigInteger.valueOf(5 * 1_000 + 10 + 5 * 2_000 + 10);
    for (Web3j client : clients) {
      assertEquals(expected, client.ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance());
    }

    // kill -9 one validator: the other three (3/4 of the stake > 2/3) keep finalizing.
    processes.get(3).destroyForcibly().waitFor();
    long killedAt = height(0);
    String afterKill = send(clients.get(0), alice, chainId, 5, 3_000);
    TransactionReceipt receipt = awaitReceipt(clients.get(1), afterKill);
    assertTrue(receipt.getBlockNumber().longValueExact() > killedAt - 1);
    await(() -> minHeight(List.of(0, 1, 2)) >= killedAt + 5, 60, "three validators keep finalizing");

    // Restarted on its data directory, it catches up from its peers to the same blocks.
    processes.set(3, start(dir, 3));
    long target = Math.max(minHeight(List.of(0, 1, 2)), receipt.getBlockNumber().longValueExact());
    await(() -> minHeight(List.of(0, 1, 2, 3)) >= target, 180, "the restarted validator catches up to " + target + " (log " + log(dir, 3) + ")");
    assertSameBlocks(List.of(0, 1, 2, 3), 1, target);
    assertEquals(expected.add(BigInteger.valueOf(3_000)),
        clients.get(3).ethGetBalance(BOB, DefaultBlockParameterName.LATEST).send().getBalance());
  }

  private Process start(Path dir, int i) throws IOException {
    Path home = dir.resolve("v" + i);
    // Never the test JVM's stdout (surefire's channel): the child logs to a file under target/.
    return new ProcessBuilder(DevnetCommand.validatorCommand(home.resolve("node.yaml"), home.resolve("data")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log(dir, i).toFile()))
        .start();
  }

  private static Path log(Path dir, int i) {
    return dir.resolve("v" + i).resolve("validator.log");
  }

  private static String send(Web3j client, Credentials from, long chainId, long nonce, long wei) throws IOException {
    RawTransaction tx = RawTransaction.createEtherTransaction(chainId, BigInteger.valueOf(nonce), BigInteger.valueOf(21_000),
        BOB, BigInteger.valueOf(wei), BigInteger.TEN.pow(9), BigInteger.TEN.pow(10));
    var response = client.ethSendRawTransaction(Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from))).send();
    assertTrue(!response.hasError(), () -> response.getError().getMessage());
    return response.getTransactionHash();
  }

  private TransactionReceipt awaitReceipt(Web3j client, String hash) throws Exception {
    TransactionReceipt[] found = new TransactionReceipt[1];
    await(() -> {
      Optional<TransactionReceipt> r = client.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
      r.ifPresent(x -> found[0] = x);
      return r.isPresent();
    }, 60, "receipt of " + hash);
    return found[0];
  }

  private void assertSameBlocks(List<Integer> validators, long from, long to) throws IOException {
    for (long h = from; h <= to; h++) {
      String reference = blockHash(validators.get(0), h);
      for (int v : validators) {
        assertEquals(reference, blockHash(v, h), "block " + h + " on validator " + v);
      }
    }
  }

  private String blockHash(int validator, long height) throws IOException {
    EthBlock.Block block = clients.get(validator).ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(height)), false)
        .send().getBlock();
    return block == null ? null : block.getHash();
  }

  private long height(int validator) {
    try {
      return clients.get(validator).ethBlockNumber().send().getBlockNumber().longValueExact();
    } catch (IOException | RuntimeException e) {
      return -1; // not up yet
    }
  }

  private long minHeight(List<Integer> validators) {
    return validators.stream().mapToLong(this::height).min().orElse(-1);
  }

  /** Waits for a condition with a bound (not a timing assertion: the bound only stops a hang). */
  private void await(Callable<Boolean> condition, int seconds, String what) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.call()) {
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        if (p != null && !p.isAlive() && p.exitValue() != 137) {
          throw new AssertionError("validator " + i + " exited with " + p.exitValue() + " while waiting for: " + what);
        }
      }
      assertTrue(System.nanoTime() < deadline, what + ": not within " + seconds + " s");
      Thread.sleep(100);
    }
  }

  /** A base port with {@code count} free ports after it, on loopback. */
  private static int freeBasePort(int count) throws IOException {
    Random random = new Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + 2 * random.nextInt(10_000);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        try (ServerSocket socket = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports found");
  }

  private static void deleteTree(Path root) throws IOException {
    if (Files.exists(root)) {
      try (var paths = Files.walk(root)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
