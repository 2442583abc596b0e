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
 * Finality latency with N validators in one process (in-process network, real timers): submits a
 * transfer every {@code intervalMs} to every validator's pool for {@code seconds}, and measures
 * from submission until validator 0 has appended the block holding it (polled every 1 ms).
 * Usage: FinalityBench [validators=4] [seconds=20] [intervalMs=50] [timeoutMs=100]
 */
public final class FinalityBench {

  private FinalityBench() {}

  public static void main(String[] args) throws Exception {
    int validators = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int intervalMs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    long timeoutMs = args.length > 3 ? Long.parseLong(args[3]) : 100;
    Path dir = Files.createTempDirectory("finality-bench");
    Vertx vertx = Vertx.vertx();
    Ledger ledger = new Ledger(TestChain.genesisWithValidators(4, 1_000, validators));
    InProcessNetwork network = InProcessNetwork.start(vertx, ledger, dir, validators, timeoutMs);
    List<ChainNode> nodes = network.nodes;
    Map<Bytes32, Long> submitted = new HashMap<>();
    List<Long> latencies = new ArrayList<>();
    long[] nonces = new long[4];
    long seen = 0;
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long nextSubmit = System.nanoTime();
    int sent = 0;
    Address bob = Address.fromHex("0x00000000000000000000000000000000000b0b00");
    while (System.nanoTime() < end || (!submitted.isEmpty() && System.nanoTime() < end + 10_000_000_000L)) {
      long now = System.nanoTime();
      if (now >= nextSubmit && now < end) {
        int sender = sent % 4;
        SignedTransaction tx = TestChain.transfer(sender, nonces[sender]++, bob, BigInteger.ONE).transaction();
        for (ChainNode node : nodes) {
          node.submit(tx.encoded());
        }
        submitted.put(tx.hash(), System.nanoTime());
        sent++;
        nextSubmit += intervalMs * 1_000_000L;
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
          }
        }
      }
      Thread.sleep(1);
    }
    network.close();
    System.out.printf("validators=%d timeoutMs=%d sent=%d finalized=%d blocks=%d%n", validators, timeoutMs, sent,
        latencies.size(), seen);
    InProcessNetwork.printLatencies(latencies);
  }
}
