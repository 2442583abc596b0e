package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.cdn.Block;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Pin;
import org.powerverse.cdn.TestData;

class LmdbBlockstoreTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private static Block block(Random random, int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return new Block(Cid.rawSha256(data), data);
  }

  @Test
  void storesVerifiedBlocksAndServesThemFromTheMap() {
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 1 << 20, CLOCK)) {
      Block block = block(new Random(1), 1000);
      store.put(block.cid(), ByteBuffer.wrap(block.data()));
      store.put(block.cid(), ByteBuffer.wrap(block.data())); // a second put changes nothing
      try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
        ByteBuffer served = snapshot.get(block.cid()).orElseThrow();
        assertTrue(served.isDirect() && served.isReadOnly(), "served straight from the memory map, read-only");
        assertArrayEquals(block.data(), LmdbBlockstore.bytes(served));
        // The CIDv0-shaped multihash key is shared: the raw CID's multihash finds the same bytes.
        assertTrue(snapshot.get(Cid.v1(0x70, block.cid().multihash())).isPresent());
      }
      assertEquals(1000, store.counters()[0]);
      assertEquals(1, store.counters()[1]);
    }
  }

  @Test
  void refusesABlockThatDoesNotMatchItsCidAndStoresNothingOfItsBatch() {
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 1 << 20, CLOCK)) {
      Random random = new Random(2);
      Block good = block(random, 10);
      Block liar = new Block(block(random, 10).cid(), good.data());
      assertThrows(Block.BlockMismatchException.class, () -> store.putAll(List.of(good, liar)));
      assertFalse(store.has(good.cid()));
      assertFalse(store.has(liar.cid()));
    }
  }

  @Test
  void evictsByFrequencyToStayWithinTheBound() {
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 50_000, CLOCK)) {
      Random random = new Random(3);
      List<Block> first = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Block block = block(random, 1000);
        first.add(block);
        store.put(block.cid(), ByteBuffer.wrap(block.data()));
      }
      Block hot = first.get(0);
      for (int i = 0; i < 50; i++) {
        try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
          snapshot.get(hot.cid()).orElseThrow();
        }
      }
      for (int i = 0; i < 200; i++) {
        Block cold = block(random, 1000);
        store.put(cold.cid(), ByteBuffer.wrap(cold.data()));
      }
      long[] counters = store.counters();
      assertTrue(counters[0] <= 50_000, "bytes used " + counters[0] + " within the bound");
      assertTrue(counters[5] >= 190, "evictions " + counters[5]);
      assertTrue(store.has(hot.cid()), "the frequently read block survived a flood of one-off blocks");
    }
  }

  @Test
  void pinnedDagsAreNeverEvictedAndReturnToThePolicyWhenUnpinned() throws Exception {
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 20_000, CLOCK)) {
      MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/subdir-with-mixed-block-files.car"));
      importAll(store, car);
      Pin pin;
      try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
        pin = store.pin(car.root(), snapshot);
      }
      assertEquals(10, pin.blocks());
      assertEquals(CLOCK.instant(), pin.pinnedAt());
      assertEquals(List.of(pin), store.pins());
      try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
        assertEquals(pin, store.pin(car.root(), snapshot), "pinning twice is a no-op");
      }
      flood(store, new Random(4), 100);
      assertTrue(allPresent(store, car), "every pinned block is still stored");
      assertEquals(pin.bytes(), store.counters()[2]);

      assertTrue(store.unpin(car.root()));
      assertFalse(store.unpin(car.root()));
      assertEquals(0, store.counters()[2]);
      flood(store, new Random(5), 100);
      assertFalse(allPresent(store, car), "unpinned blocks are evictable again");
    }
  }

  @Test
  void explicitEvictionSparesPins() throws Exception {
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 1 << 20, CLOCK)) {
      MemoryBlocks pinned = MemoryBlocks.fromCar(TestData.conformanceFixture("gateway-cache/fixtures.car"));
      MemoryBlocks other = MemoryBlocks.fromCar(TestData.conformanceFixture("path_gateway_unixfs/symlink.car"));
      importAll(store, pinned);
      importAll(store, other);
      try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
        store.pin(pinned.root(), snapshot);
      }
      long[] evicted = store.evict(other.root());
      assertEquals(3, evicted[0]);
      assertFalse(store.has(other.root()));
      assertEquals(0, store.evict(pinned.root())[0]);
      importAll(store, other);
      store.evict(null);
      assertTrue(allPresent(store, pinned));
      assertFalse(store.has(other.root()));
      assertEquals(pinned.size(), store.counters()[1]);
    }
  }

  @Test
  void reopensWithItsBlocksPinsAndAccounting() throws Exception {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("gateway-raw-block.car"));
    long[] before;
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 1 << 20, CLOCK)) {
      importAll(store, car);
      try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
        store.pin(car.root(), snapshot);
      }
      before = store.counters();
    }
    try (LmdbBlockstore store = LmdbBlockstore.open(dir, 1 << 20, CLOCK)) {
      assertTrue(allPresent(store, car));
      assertEquals(before[0], store.counters()[0]);
      assertEquals(before[2], store.counters()[2]);
      assertEquals(1, store.pinCount());
      assertArrayEquals(new long[] {car.size(), 0}, store.verifyAll());
    }
  }

  private static void importAll(LmdbBlockstore store, MemoryBlocks blocks) {
    DagReader reader = new DagReader(blocks);
    List<Block> batch = new ArrayList<>();
    reader.walk(reader.node(blocks.root()), DagReader.Scope.ALL, null,
        node -> batch.add(new Block(node.cid(), LmdbBlockstore.bytes(node.block()))));
    store.putAll(batch);
  }

  private static boolean allPresent(LmdbBlockstore store, MemoryBlocks blocks) {
    List<Cid> cids = new ArrayList<>();
    DagReader reader = new DagReader(blocks);
    reader.walk(reader.node(blocks.root()), DagReader.Scope.ALL, null, node -> cids.add(node.cid()));
    return cids.stream().allMatch(store::has);
  }

  private static void flood(LmdbBlockstore store, Random random, int count) {
    for (int i = 0; i < count; i++) {
      Block block = block(random, 1000);
      store.put(block.cid(), ByteBuffer.wrap(block.data()));
    }
  }
}
