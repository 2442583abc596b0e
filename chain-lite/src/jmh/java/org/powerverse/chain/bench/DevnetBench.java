package org.powerverse.chain.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.powerverse.chain.Address;
import org.powerverse.chain.ChainCommand;
import org.powerverse.chain.DevnetCommand;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.Transactions;
import org.powerverse.platform.Json;
import picocli.CommandLine;

/**
 * Finality latency and finalized transfers/s of validator PROCESSES on loopback (chain devnet):
 * an open-loop load generator sends pre-signed transfers round-robin to the validators' JSON-RPC
 * at a fixed rate; an observer polls validator 0 for new blocks and takes a transfer's finality
 * as the first time its block is seen (so latency includes up to one 10 ms poll). Same-run
 * baseline: the block interval of the idle devnet before the load.
 *
 * <p>Usage: DevnetBench [validators=4] [seconds=15] [rate=100] [blockTimeMs=150] [basePort=31400]
 */
public final class DevnetBench {

  /** Senders of the open-loop load (java.net.http is not readable from the module under test). */
  private static final java.util.concurrent.ExecutorService SENDERS = java.util.concurrent.Executors.newFixedThreadPool(16);

  public static void main(String[] args) throws Exception {
    int validators = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    long blockTime = args.length > 3 ? Long.parseLong(args[3]) : 150;
    int basePort = args.length > 4 ? Integer.parseInt(args[4]) : 31_400;
    int senders = 16;
    Path dir = Files.createTempDirectory("devnet-bench");
    int rc = new CommandLine(new ChainCommand()).execute("devnet", "--validators", String.valueOf(validators), "--dir",
        dir.resolve("net").toString(), "--base-port", String.valueOf(basePort), "--accounts", String.valueOf(senders),
        "--block-time-ms", String.valueOf(blockTime));
    if (rc != 0) {
      throw new IllegalStateException("devnet failed: " + rc);
    }
    Path net = dir.resolve("net");
    JsonNode devnet = Json.MAPPER.readTree(net.resolve("devnet.json").toFile());
    long chainId = devnet.get("chainId").asLong();
    List<String> rpc = new ArrayList<>();
    devnet.get("rpc").forEach(n -> rpc.add(n.asText()));
    List<Process> processes = new ArrayList<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> processes.forEach(Process::destroy)));
    for (int i = 0; i < validators; i++) {
      Path home = net.resolve("v" + i);
      processes.add(new ProcessBuilder(DevnetCommand.validatorCommand(home.resolve("node.yaml"), home.resolve("data")))
          .redirectErrorStream(true).redirectOutput(home.resolve("validator.log").toFile()).start());
    }
    for (String url : rpc) {
      while (height(url) < 3) {
        Thread.sleep(100);
      }
    }
    // Baseline: the idle block interval.
    long h0 = height(rpc.get(0));
    long t0 = System.nanoTime();
    while (height(rpc.get(0)) < h0 + 20) {
      Thread.sleep(5);
    }
    double idleInterval = (System.nanoTime() - t0) / 1e6 / (height(rpc.get(0)) - h0);
    System.out.printf("baseline: idle block interval %.1f ms over 20 blocks%n", idleInterval);

    int total = rate * seconds;
    List<String> raw = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    long[] nonce = new long[senders];
    Address bob = Address.fromHex("0x00000000000000000000000000000000000b0b00");
    for (int i = 0; i < total; i++) {
      int s = i % senders;
      byte[] key = HexFormat.of().parseHex(devnet.get("accounts").get(s).get("privateKey").asText().substring(2));
      var signed = Transactions.sign(new DynamicFeeTransaction(chainId, nonce[s]++, BigInteger.TEN.pow(9),
          BigInteger.TEN.pow(11), 21_000, Optional.of(bob), BigInteger.ONE, new byte[0], List.of()), key);
      raw.add("0x" + HexFormat.of().formatHex(signed.encoded()));
      hashes.add(signed.hash().toString());
    }
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    long[] firstLast = {-1, -1};
    Thread observer = new Thread(() -> {
      long seen = height(rpc.get(0));
      while (!Thread.currentThread().isInterrupted()) {
        long h = height(rpc.get(0));
        for (long b = seen + 1; b <= h; b++) {
          long now = System.nanoTime();
          JsonNode block = call(rpc.get(0), "eth_getBlockByNumber", "[\"0x" + Long.toHexString(b) + "\",false]");
          for (JsonNode tx : block.get("result").get("transactions")) {
            Long sent = sentAt.remove(tx.asText());
            if (sent != null) {
              latencies.add((now - sent) / 1e6);
              if (firstLast[0] < 0) {
                firstLast[0] = now;
              }
              firstLast[1] = now;
            }
          }
        }
        seen = h;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    observer.start();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + (long) i * 1_000_000_000L / rate;
      while (System.nanoTime() < due) {
        Thread.onSpinWait();
      }
      sentAt.put(hashes.get(i), System.nanoTime());
      String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"" + raw.get(i) + "\"]}";
      String url = rpc.get(i % validators);
      SENDERS.execute(() -> post(url, body));
    }
    long drainUntil = System.nanoTime() + 20_000_000_000L;
    while (!sentAt.isEmpty() && System.nanoTime() < drainUntil) {
      Thread.sleep(50);
    }
    observer.interrupt();
    observer.join();
    processes.forEach(Process::destroy);
    SENDERS.shutdownNow();
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double tps = sorted.size() < 2 ? 0 : sorted.size() / ((firstLast[1] - firstLast[0]) / 1e9);
    System.out.printf("validators=%d offered=%d tx/s for %d s: finalized %d of %d; finality p50 %.0f ms p99 %.0f ms;"
        + " finalized %.0f transfers/s%n", validators, rate, seconds, sorted.size(), total,
        percentile(sorted, 0.50), percentile(sorted, 0.99), tps);
  }

  private static double percentile(List<Double> sorted, double q) {
    return sorted.isEmpty() ? Double.NaN : sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size())));
  }

  private static long height(String url) {
    try {
      return Long.decode(call(url, "eth_blockNumber", "[]").get("result").asText());
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static JsonNode call(String url, String method, String params) {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}";
    try {
      return Json.MAPPER.readTree(post(url, body));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String post(String url, String body) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", "application/json");
      c.getOutputStream().write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try (var in = c.getInputStream()) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
