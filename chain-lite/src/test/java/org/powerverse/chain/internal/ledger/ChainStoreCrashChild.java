package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.WorldState;

/**
 * The process {@link ChainStoreCrashTest} kills: reopens the store, then builds and commits
 * blocks of transfers from the head on, printing each committed height, until killed.
 */
public final class ChainStoreCrashChild {

  private ChainStoreCrashChild() {}

  public static void main(String[] args) {
    Ledger ledger = new Ledger(TestChain.genesis(8, 1_000));
    ChainStore store = ChainStore.open(Path.of(args[0]), 256L << 20, ledger.genesisBlock(), ledger.genesisState());
    Block parent = store.block(store.head()).orElseThrow();
    WorldState state = store.loadState();
    for (long n = 0; ; n++) {
      List<RecoveredTransaction> txs = new ArrayList<>();
      for (int sender = 0; sender < 8; sender++) {
        Address to = new Address(java.nio.ByteBuffer.allocate(20).putLong(12, n * 8 + sender).array());
        txs.add(TestChain.transfer(sender, state.account(TestChain.address(sender)).nonce(), to, BigInteger.valueOf(n + 1)));
      }
      Ledger.Executed executed = ledger.build(parent.header(), state, TestChain.PROPOSER, 0,
          parent.header().timestamp() + 1, new byte[0], txs);
      if (!executed.rejected().isEmpty()) {
        throw new IllegalStateException("rejected: " + executed.rejected());
      }
      store.commit(executed.block(), executed.receipts(), executed.state());
      parent = executed.block();
      state = executed.state();
      System.out.println(parent.header().height());
      System.out.flush();
    }
  }
}
