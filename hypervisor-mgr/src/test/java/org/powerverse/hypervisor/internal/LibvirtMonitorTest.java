package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.Health;

/** Against the real libvirt client library: the built-in test driver, and an unreachable daemon. */
@Tag("integration")
class LibvirtMonitorTest {

  private static void assumeLibvirtInstalled() {
    assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0")) || Files.exists(Path.of("/usr/lib64/libvirt.so.0")),
        "libvirt.so.0 (Debian package libvirt0) is not installed; scripts/test installs it");
  }

  /** Polls (never sleeps a fixed time) until the health matches, or fails after the deadline. */
  private static Health awaitHealth(LibvirtMonitor monitor, Predicate<Health> until) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Health health = monitor.health();
    while (!until.test(health) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.sleep(10);
      health = monitor.health();
    }
    return health;
  }

  @Test
  void readyAgainstLibvirtsTestDriver() throws Exception {
    assumeLibvirtInstalled();
    try (LibvirtMonitor monitor = new LibvirtMonitor("test:///default", Duration.ofSeconds(5), Clock.systemUTC())) {
      monitor.start();
      Health health = awaitHealth(monitor, h -> h.state() != Health.State.starting);
      assertEquals(Health.State.ready, health.state(), String.valueOf(health.reason()));
      assertTrue(monitor.connection().isPresent());
    }
  }

  @Test
  void unreachableDaemonIsDegradedWithTheUriAndKeepsRetrying() throws Exception {
    assumeLibvirtInstalled();
    String uri = "qemu+unix:///system?socket=/nonexistent/powerverse-test/libvirt-sock";
    try (LibvirtMonitor monitor = new LibvirtMonitor(uri, Duration.ofSeconds(1), Clock.systemUTC())) {
      monitor.start();
      Health health = awaitHealth(monitor, h -> h.state() == Health.State.degraded);
      assertEquals(Health.State.degraded, health.state());
      assertTrue(health.reason().contains("cannot connect to libvirt at " + uri), health.reason());
      assertTrue(health.reason().contains("retrying"), health.reason());
    }
  }

  @Test
  void closeStopsIt() throws Exception {
    assumeLibvirtInstalled();
    LibvirtMonitor monitor = new LibvirtMonitor("test:///default", Duration.ofSeconds(5), Clock.systemUTC());
    monitor.start();
    awaitHealth(monitor, h -> h.state() == Health.State.ready);
    monitor.close();
    monitor.close();
    assertEquals(Health.State.stopped, monitor.health().state());
    assertTrue(monitor.connection().isEmpty());
  }
}
