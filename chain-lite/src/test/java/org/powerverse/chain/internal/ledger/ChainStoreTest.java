package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.RecoveredTransaction;
import org.powerverse.chain.WorldState;

class ChainStoreTest {

  @TempDir
  Path dir;

  /** stake(bytes32 0x0101…01) as web3j's ABI encoder writes it. */
  private static final byte[] STAKE_CALL = java.util.HexFormat.of().parseHex(org.web3j.abi.FunctionEncoder.encode(
      new org.web3j.abi.datatypes.Function("stake",
          List.of(new org.web3j.abi.datatypes.generated.Bytes32(filled(32, (byte) 1))), List.of())).substring(2));

  private static byte[] filled(int n, byte b) {
    byte[] out = new byte[n];
    java.util.Arrays.fill(out, b);
    return out;
  }

  private final Ledger ledger = new Ledger(TestChain.genesis(4, 1_000));

  @Test
  void reopenedStoreHasEveryBlockReceiptIndexAndTheHeadState() {
    Address bob = Address.fromHex("0x00000000000000000000000000000000000b0b00");
    Block parent = ledger.genesisBlock();
    WorldState state = ledger.genesisState();
    Ledger.Executed last;
    try (ChainStore store = ChainStore.open(dir, 64L << 20, ledger.genesisBlock(), ledger.genesisState())) {
      assertEquals(0, store.head());
      for (int height = 1; height <= 5; height++) {
        RecoveredTransaction stake = TestChain.dynamic(3, height - 1, Staking.ADDRESS, Economics.coins(100),
            TestChain.GWEI, TestChain.GWEI.multiply(BigInteger.valueOf(3)), STAKE_CALL);
        last = ledger.build(parent.header(), state, TestChain.PROPOSER, 0, parent.header().timestamp() + 1,
            new byte[0], List.of(TestChain.transfer(0, height - 1, bob, BigInteger.valueOf(height)),
                TestChain.transfer(1, height - 1, bob, BigInteger.TEN), stake));
        assertEquals(List.of(), last.rejected());
        store.commit(last.block(), last.receipts(), last.state());
        parent = last.block();
        state = last.state();
      }
    }
    try (ChainStore store = ChainStore.open(dir, 64L << 20, ledger.genesisBlock(), ledger.genesisState())) {
      assertEquals(5, store.head());
      assertEquals(state.root(), store.loadState().root());
      assertEquals(parent, store.block(5).orElseThrow());
      assertEquals(Optional.of(5L), store.height(parent.hash()));
      var tx = parent.transactions().get(1);
      assertEquals(Optional.of(new ChainStore.Location(5, 1)), store.locate(tx.hash()));
      assertEquals(3, store.receipts(5).size());
      assertEquals(tx.hash(), store.receipts(5).get(1).transactionHash());
      assertEquals(Economics.coins(500), store.loadState().account(Staking.ADDRESS).balance());
      assertEquals(1, Staking.validators(store.loadState()).size());
    }
  }

  @Test
  void refusesAStoreOfAnotherChain() {
    ChainStore.open(dir, 64L << 20, ledger.genesisBlock(), ledger.genesisState()).close();
    Genesis other = TestChain.genesis(3, 1_000);
    Ledger otherLedger = new Ledger(other);
    assertThrows(IllegalStateException.class,
        () -> ChainStore.open(dir, 64L << 20, otherLedger.genesisBlock(), otherLedger.genesisState()));
  }
}
