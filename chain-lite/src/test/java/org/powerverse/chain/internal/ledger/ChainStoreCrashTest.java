package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.Block;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.WorldState;

/**
 * kill -9 a process committing blocks, three times over one store: every reopen finds a state
 * that hashes to the head block's state root (ChainStore.open checks it), at least every height
 * the child reported, a hash-linked chain whose blocks all re-execute to their roots, and an
 * index entry for every transaction.
 */
@Tag("integration")
class ChainStoreCrashTest {

  @TempDir
  Path dir;

  @Test
  void restartsConsistentAfterKillDashNine() throws Exception {
    Ledger ledger = new Ledger(TestChain.genesis(8, 1_000));
    long reported = 0;
    for (int round = 0; round < 3; round++) {
      Process child = startChild(round);
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        long target = reported + 10 + 7L * round;
        String line;
        while (reported < target && (line = out.readLine()) != null) {
          reported = Long.parseLong(line.trim());
        }
        assertEquals(target, reported, "the child stopped early; see " + log(round));
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no LMDB close
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      } finally {
        child.destroyForcibly();
      }
      try (ChainStore store = ChainStore.open(dir.resolve("chain"), 256L << 20, ledger.genesisBlock(), ledger.genesisState())) {
        assertTrue(store.head() >= reported, "head " + store.head() + " lost reported height " + reported);
        reported = store.head();
        Block parent = store.block(0).orElseThrow();
        WorldState state = ledger.genesisState();
        for (long height = 1; height <= store.head(); height++) {
          Block block = store.block(height).orElseThrow();
          state = ledger.verify(parent.header(), state, block, SenderRecovery.bouncyCastle()).state();
          for (int i = 0; i < block.transactions().size(); i++) {
            assertEquals(new ChainStore.Location(height, i), store.locate(block.transactions().get(i).hash()).orElseThrow());
          }
          assertEquals(block.transactions().size(), store.receipts(height).size());
          parent = block;
        }
        assertEquals(state.root(), store.loadState().root());
      }
    }
  }

  private Path log(int round) {
    return Path.of("target", "chain-crash-child-" + round + ".log").toAbsolutePath();
  }

  private Process startChild(int round) throws Exception {
    Files.createDirectories(log(round).getParent());
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-cp", System.getProperty("java.class.path"),
        ChainStoreCrashChild.class.getName(), dir.resolve("chain").toString()));
    // The child's stderr goes to a file, never to this JVM's streams (surefire's channel).
    return new ProcessBuilder(command).redirectError(log(round).toFile()).start();
  }
}
