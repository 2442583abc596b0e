package org.powerverse.chain.bench;

import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.ledger.TestChain;

/**
 * Sustained finalized transfers/s with N validators in one process: pre-signed transfers from 200
 * senders are submitted open-loop at {@code rate}/s to every validator's pool (each pool decodes
 * and recovers the sender) for {@code seconds}; reports what validator 0 finalized per second
 * and the latency distribution. Usage: ThroughputBench [validators=4] [seconds=10] [rate=1000] [timeoutMs=100]
 */
public final class ThroughputBench {

  private ThroughputBench() {}

  public static void main(String[] args) throws Exception {
    int validators = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
    long timeoutMs = args.length > 3 ? Long.parseLong(args[3]) : 100;
    Path dir = Files.createTempDirectory("finality-bench");
    Vertx vertx = Vertx.vertx();
    int senders = 200;
    List<org.powerverse.chain.Allocation> allocations = new ArrayList<>();
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < senders; i++) {
      byte[] key = java.nio.ByteBuffer.allocate(32).put(0, (byte) 0x33).putInt(28, i + 1).array();
      keys.add(key);
      allocations.add(new org.powerverse.chain.Allocation("s" + i, org.powerverse.chain.Transactions.address(key),
          org.powerverse.chain.Economics.coins(1_000), List.of()));
    }
    Ledger ledger = new Ledger(new org.powerverse.chain.Genesis(TestChain.CHAIN_ID, TestChain.GENESIS_TIME,
        TestChain.GENESIS_TIME, 1_000, 60_000_000, TestChain.GWEI, 10, org.powerverse.chain.Economics.coins(100),
        TestChain.FOUNDATION, allocations, TestChain.genesisWithValidators(0, 1_000, validators).validators()));
    int total = rate * seconds;
    List<SignedTransaction> presigned = new ArrayList<>();
    long[] nonce = new long[senders];
    Address bob0 = Address.fromHex("0x00000000000000000000000000000000000b0b00");
    for (int i = 0; i < total; i++) {
      int s = i % senders;
      var tx = new org.powerverse.chain.DynamicFeeTransaction(TestChain.CHAIN_ID, nonce[s]++, TestChain.GWEI,
          TestChain.GWEI.multiply(BigInteger.TEN), 21_000, java.util.Optional.of(bob0), BigInteger.ONE, new byte[0], List.of());
      presigned.add(org.powerverse.chain.Transactions.sign(tx, keys.get(s)));
    }
    System.out.printf("pre-signed %d transfers%n", total);
    InProcessNetwork network = InProcessNetwork.start(vertx, ledger, dir, validators, timeoutMs);
    List<ChainNode> nodes = network.nodes;
    Map<Bytes32, Long> submitted = new HashMap<>();
    List<Long> latencies = new ArrayList<>();
    long seen = 0;
    int sent = 0;
    int refused = 0;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    long firstFinal = -1;
    long lastFinal = -1;
    while (System.nanoTime() < end || (!submitted.isEmpty() && System.nanoTime() < end + 15_000_000_000L)) {
      long now = System.nanoTime();
      long due = Math.min(total, (now - start) * rate / 1_000_000_000L);
      while (sent < due) {
        SignedTransaction tx = presigned.get(sent++);
        boolean accepted = true;
        for (ChainNode node : nodes) {
          try {
            node.submit(tx.encoded());
          } catch (IllegalArgumentException e) {
            accepted = false;
          }
        }
        if (accepted) {
          submitted.put(tx.hash(), System.nanoTime());
        } else {
          refused++;
        }
      }
      long head = nodes.get(0).head().header().height();
      while (seen < head) {
        seen++;
        long appended = System.nanoTime();
        Block block = nodes.get(0).block(seen).orElseThrow();
        for (SignedTransaction tx : block.transactions()) {
          Long at = submitted.remove(tx.hash());
          if (at != null) {
            latencies.add((appended - at) / 1_000);
            firstFinal = firstFinal < 0 ? appended : firstFinal;
            lastFinal = appended;
          }
        }
      }
      Thread.sleep(1);
    }
    System.out.printf("sent=%d refused=%d finalized=%d in %.1f s: %.0f transfers/s%n", sent, refused, latencies.size(),
        (lastFinal - start) / 1e9, latencies.size() / ((lastFinal - start) / 1e9));
    network.close();
    System.out.printf("validators=%d timeoutMs=%d rate=%d blocks=%d%n", validators, timeoutMs, rate, seen);
    InProcessNetwork.printLatencies(latencies);
  }
}
