package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class MemoryAdmissionTest {
  @Test
  void concurrentCreatesNeverOverCommit() throws Exception {
    MemoryAdmission admission = new MemoryAdmission(1000);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String vm = "vm-" + i;
      results.add(pool.submit(() -> {
        go.await();
        return admission.reserve(vm, 300).isEmpty();
      }));
    }
    go.countDown();
    long admitted = 0;
    for (Future<Boolean> r : results) if (r.get()) admitted++;
    pool.shutdown();
    assertEquals(3, admitted);
    assertEquals(900, admission.reservedMiB());
  }

  @Test
  void releaseMakesRoomAndRefusalSaysWhatIsFree() {
    MemoryAdmission admission = new MemoryAdmission(1000);
    assertTrue(admission.reserve("a", 800).isEmpty());
    assertEquals("needs 300 MiB, 200 MiB of 1000 MiB free", admission.reserve("b", 300).orElseThrow());
    assertEquals("VM 'a' already holds memory", admission.reserve("a", 1).orElseThrow());
    admission.release("a");
    admission.release("a");
    assertTrue(admission.reserve("b", 300).isEmpty());
    assertEquals(300, admission.reservedMiB());
  }
}
