package org.powerverse.appliance.internal.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.internal.TestNode;
import org.powerverse.hypervisor.HypervisorConfig;

/** A subsystem that cannot get what it needs is degraded with its reason; the rest keeps serving. */
@Tag("integration")
class ReadinessTest {

  @TempDir Path data;

  @Test
  void unreachableLibvirtMakesReadyz503WithTheReason() throws Exception {
    String uri = "qemu+unix:///system?socket=/nonexistent/powerverse/libvirt-sock";
    try (TestNode node = TestNode.start(data, config -> TestNode.testConfig(uri))) {
      long deadline = System.nanoTime() + 30_000_000_000L;
      TestNode.Response ready;
      do {
        ready = node.get("/readyz", null);
      } while (!ready.body().contains("degraded") && System.nanoTime() < deadline);
      assertEquals(503, ready.status(), ready.body());
      assertEquals("urn:powerverse:problem:unavailable", ready.json().getString("type"));
      assertTrue(ready.json().getString("detail").contains("hypervisor is degraded: cannot connect to libvirt at " + uri),
          ready.body());
      node.assertMatchesContract("getReadyz", ready);
      // The rest of the node serves on.
      assertEquals(200, node.get("/api/v1/host").status());
      JsonObject hypervisor = node.get("/api/v1/node").json().getJsonArray("subsystems").getJsonObject(0);
      assertEquals("degraded", hypervisor.getString("state"));
    }
  }

  @Test
  void disabledHypervisorIsReadyWithoutLibvirt() throws Exception {
    try (TestNode node = TestNode.start(data, config -> {
      HypervisorConfig h = config.hypervisor();
      return config.withHypervisor(
          new HypervisorConfig(false, "qemu+unix:///system?socket=/nonexistent", h.procRoot(), h.sysRoot(), h.devRoot(),
              h.pciIdsPath(), h.inventoryCacheSeconds(), h.reconnectMaxSeconds(), h.benchmark()));
    })) {
      assertEquals(200, node.get("/readyz", null).status());
    }
  }
}
