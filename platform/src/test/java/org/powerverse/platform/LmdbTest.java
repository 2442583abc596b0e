package org.powerverse.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LmdbTest {

  record Item(String name, int count) {}

  @TempDir Path dir;

  @Test
  void missingKeyIsEmptyNotAnError() {
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"))) {
      assertEquals(Optional.empty(), lmdb.table("items", Item.class).get("nope"));
    }
  }

  @Test
  void valuesSurviveReopening() {
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"))) {
      lmdb.table("items", Item.class).put("a", new Item("apple", 3));
    }
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"))) {
      assertEquals(Optional.of(new Item("apple", 3)), lmdb.table("items", Item.class).get("a"));
    }
  }

  @Test
  void failedWriteKeepsNothing() {
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"))) {
      Table<Item> items = lmdb.table("items", Item.class);
      assertThrows(IllegalStateException.class, () -> lmdb.write(txn -> {
        items.put(txn, "a", new Item("apple", 1));
        throw new IllegalStateException("boom");
      }));
      assertEquals(Optional.empty(), items.get("a"));
    }
  }

  @Test
  void listsByPrefixInOrderAndReverse() {
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"))) {
      Table<Item> items = lmdb.table("items", Item.class);
      lmdb.write(txn -> {
        for (String key : List.of("b/2", "a/1", "b/1", "b/3", "c/1")) {
          items.put(txn, key, new Item(key, 0));
        }
        return null;
      });
      assertEquals(List.of("b/1", "b/2", "b/3"), items.list("b/", false, 10).stream().map(Item::name).toList());
      assertEquals(List.of("b/3", "b/2"), items.list("b/", true, 2).stream().map(Item::name).toList());
      assertEquals(5, items.list("", false, 100).size());
      assertEquals(5, items.count());
    }
  }

  @Test
  void prefixUpperBoundCarriesOverFf() {
    assertArrayEquals(new byte[] {1, 3}, Lmdb.prefixUpperBound(new byte[] {1, 2}));
    assertArrayEquals(new byte[] {2}, Lmdb.prefixUpperBound(new byte[] {1, (byte) 0xff}));
    assertNull(Lmdb.prefixUpperBound(new byte[] {(byte) 0xff, (byte) 0xff}));
  }

  @Test
  void writesFromManyVirtualThreadsAllLand() throws Exception {
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"));
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      Table<Item> items = lmdb.table("items", Item.class);
      List<Future<?>> pending = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        pending.add(threads.submit(() -> items.put(String.format("k%03d", n), new Item("x", n))));
      }
      for (Future<?> f : pending) {
        f.get();
      }
      assertEquals(200, items.count());
    }
  }

  @Test
  void closeIsIdempotentAndUseAfterCloseFails() {
    Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"));
    lmdb.close();
    lmdb.close();
    assertThrows(IllegalStateException.class, () -> lmdb.table("items", Item.class).get("a"));
  }

  @Test
  void fullMapIsAClearStorageError() {
    try (Lmdb lmdb = Lmdb.open(dir, 1 << 20, List.of("items"))) {
      StorageException e = assertThrows(StorageException.class, () -> lmdb.write(txn -> {
        for (int i = 0; i < 10_000; i++) {
          txn.put("items", ("key" + i).getBytes(), new byte[512]);
        }
        return null;
      }));
      assertTrue(e.getMessage().contains("is full"), e.getMessage());
      assertFalse(lmdb.table("items", Item.class).get("key0").isPresent());
    }
  }

  @Test
  void unknownTableIsNamed() {
    try (Lmdb lmdb = Lmdb.open(dir, 16 << 20, List.of("items"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lmdb.table("other", Item.class));
      assertTrue(e.getMessage().contains("no table 'other'"));
    }
  }
}
