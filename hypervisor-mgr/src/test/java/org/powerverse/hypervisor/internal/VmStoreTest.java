package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.hypervisor.Vm;
import org.powerverse.hypervisor.VmSpec;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Lmdb;

/** Admission in the desired-state store: memory and GPU claims checked and written in one transaction. */
class VmStoreTest {
  @TempDir Path dir;
  private Lmdb lmdb;
  private VmStore store;

  @BeforeEach
  void open() {
    lmdb = Lmdb.open(dir.resolve("lmdb"), 16L << 20, VmStore.TABLES);
    store = new VmStore(lmdb);
  }

  @AfterEach
  void close() {
    lmdb.close();
  }

  private static VmRecord record(String name, long memoryMiB, List<String> gpus) {
    return new VmRecord(new VmSpec(name, 1, memoryMiB, null, null, null, gpus, null, null), UUID.randomUUID(),
        Vm.PowerState.running, 1, Instant.parse("2026-11-25T00:00:00Z"), null, false, null);
  }

  /** Runs the calls all at once (released together) and returns each outcome: null or its problem. */
  private static List<ApiProblem> race(List<Callable<Void>> calls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(calls.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ApiProblem>> outcomes = new ArrayList<>();
    for (Callable<Void> call : calls) {
      outcomes.add(pool.submit(() -> {
        go.await();
        try {
          call.call();
          return null;
        } catch (ApiProblem e) {
          return e;
        }
      }));
    }
    go.countDown();
    List<ApiProblem> out = new ArrayList<>();
    for (Future<ApiProblem> outcome : outcomes) {
      out.add(outcome.get());
    }
    pool.shutdown();
    return out;
  }

  @Test
  void concurrentCreatesCannotOverCommitMemory() throws Exception {
    List<Callable<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      VmRecord record = record("vm-" + i, 512, List.of());
      calls.add(() -> {
        store.admit(record, 3 * 512);
        return null;
      });
    }
    List<ApiProblem> outcomes = race(calls);
    assertEquals(3, outcomes.stream().filter(p -> p == null).count());
    for (ApiProblem problem : outcomes) {
      if (problem != null) {
        assertEquals(422, problem.problem().status());
        assertEquals("memoryMiB", problem.problem().errors().get(0).field());
      }
    }
    assertEquals(3, store.all().size());
  }

  @Test
  void concurrentCreatesClaimAGpuOnce() throws Exception {
    List<Callable<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      VmRecord record = record("vm-" + i, 64, List.of("0000:0b:00.0"));
      calls.add(() -> {
        store.admit(record, 1 << 20);
        return null;
      });
    }
    List<ApiProblem> outcomes = race(calls);
    assertEquals(1, outcomes.stream().filter(p -> p == null).count());
    assertEquals(1, store.claims().size());
    outcomes.stream().filter(p -> p != null).forEach(p -> assertEquals(409, p.problem().status()));
  }

  @Test
  void secondClaimOnSameGpuIsAConflictNamingTheField() {
    store.admit(record("first", 64, List.of("0000:0b:00.0")), 4096);
    ApiProblem taken = assertThrows(ApiProblem.class,
        () -> store.admit(record("second", 64, List.of("0000:0c:00.0", "0000:0b:00.0")), 4096));
    assertEquals(409, taken.problem().status());
    assertEquals("gpus[1]", taken.problem().errors().get(0).field());
    assertEquals(List.of(), store.claimsOf("second"), "a refused create claims nothing");
  }

  @Test
  void takenNameIsAConflictNamingTheField() {
    store.admit(record("web", 64, List.of()), 4096);
    ApiProblem taken = assertThrows(ApiProblem.class, () -> store.admit(record("web", 64, List.of()), 4096));
    assertEquals(409, taken.problem().status());
    assertEquals("name", taken.problem().errors().get(0).field());
  }

  @Test
  void removeReleasesMemoryAndClaims() {
    store.admit(record("first", 1024, List.of("0000:0b:00.0")), 1024);
    store.remove("first");
    store.admit(record("second", 1024, List.of("0000:0b:00.0")), 1024);
    assertEquals("second", store.claims().get(0).vm());
  }

  @Test
  void resizeBeyondCapacityIsRefusedNamingMemory() {
    store.admit(record("a", 512, List.of()), 1024);
    store.admit(record("b", 256, List.of()), 1024);
    ApiProblem refused = assertThrows(ApiProblem.class,
        () -> store.update("a", 1024, r -> r.withSpec(r.spec().withSize(1, 1024), false)));
    assertEquals(422, refused.problem().status());
    assertEquals("memoryMiB", refused.problem().errors().get(0).field());
    assertEquals(768, store.update("a", 1024, r -> r.withSpec(r.spec().withSize(1, 768), false)).spec().memoryMiB());
  }
}
