package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Address;
import org.powerverse.chain.BlockHeader;

/**
 * The decoders of stored and (later) gossiped forms refuse every mangled input with an
 * IllegalArgumentException (RlpException, InvalidTransactionException) and nothing else: bit
 * flips, truncations, extensions and random bytes from a fixed seed. The seed is printed on failure.
 */
class StoredFormsMutationTest {

  private static final long SEED = 0x5eed_c4a1L;

  @Test
  void mangledBlocksHeadersAndReceiptsFailCleanly() {
    Ledger ledger = new Ledger(TestChain.genesis(3, 1_000));
    Address bob = Address.fromHex("0x00000000000000000000000000000000000b0b00");
    Ledger.Executed executed = ledger.build(ledger.genesisBlock().header(), ledger.genesisState(), TestChain.PROPOSER, 2,
        TestChain.GENESIS_TIME + 5, new byte[] {9, 9}, List.of(TestChain.transfer(0, 0, bob, BigInteger.TEN),
            TestChain.legacy(1, 0, bob, BigInteger.ONE, TestChain.GWEI.multiply(BigInteger.TWO))));
    byte[] block = ChainStore.encodeBlock(executed.block());
    byte[] header = executed.block().header().withCertificate(new byte[] {1, 2}).encode();
    byte[] receipts = ChainStore.encodeReceipts(executed.receipts());
    assertEquals(executed.block(), ChainStore.decodeBlock(block));
    assertEquals(executed.receipts(), ChainStore.decodeReceipts(receipts));
    mangle(block, ChainStore::decodeBlock);
    mangle(header, BlockHeader::decode);
    mangle(receipts, ChainStore::decodeReceipts);
  }

  private static void mangle(byte[] valid, Function<byte[], ?> decoder) {
    Random random = new Random(SEED);
    for (int i = 0; i < 3_000; i++) {
      byte[] input = switch (i % 4) {
        case 0 -> flip(valid, random);
        case 1 -> Arrays.copyOf(valid, random.nextInt(valid.length));
        case 2 -> extend(valid, random);
        default -> randomBytes(random);
      };
      try {
        decoder.apply(input);
      } catch (IllegalArgumentException expected) {
        // refused cleanly
      } catch (RuntimeException e) {
        fail("seed " + SEED + ", case " + i + ": " + e + " on " + java.util.HexFormat.of().formatHex(input), e);
      }
    }
  }

  private static byte[] flip(byte[] valid, Random random) {
    byte[] out = valid.clone();
    int flips = 1 + random.nextInt(3);
    for (int f = 0; f < flips; f++) {
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
    }
    return out;
  }

  private static byte[] extend(byte[] valid, Random random) {
    byte[] out = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(8));
    for (int i = valid.length; i < out.length; i++) {
      out[i] = (byte) random.nextInt(256);
    }
    return out;
  }

  private static byte[] randomBytes(Random random) {
    byte[] out = new byte[random.nextInt(300)];
    random.nextBytes(out);
    if (out.length > 0) {
      out[0] = (byte) (0xC0 | random.nextInt(64));
    }
    return out;
  }
}
