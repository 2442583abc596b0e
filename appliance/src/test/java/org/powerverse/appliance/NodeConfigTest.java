package org.powerverse.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.powerverse.platform.ConfigDocs;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;

class NodeConfigTest {

  private static ConfigException failure(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse("powerverse.yaml", yaml, NodeConfig.class));
  }

  @Test
  void emptyConfigIsAWorkingNode() throws Exception {
    NodeConfig config = ConfigLoader.parse("powerverse.yaml", "", NodeConfig.class);
    assertEquals(8443, config.api().port());
    assertEquals("0.0.0.0", config.api().bindAddress());
    assertEquals("qemu:///system", config.hypervisor().libvirtUri());
    assertEquals(true, config.api().metricsRequireAuth());
  }

  @Test
  void errorsNameTheFullKeyPath() {
    assertEquals("api.port", failure("api:\n  port: 70000\n").path());
    assertEquals("hypervisor.benchmark.diskBytes", failure("hypervisor:\n  benchmark:\n    diskBytes: 1000\n").path());
    assertEquals("hypervisor.procRoot", failure("hypervisor:\n  procRoot: relative/proc\n").path());
    assertEquals("provider.score.weights.gpuMemoryGib",
        failure("provider:\n  score:\n    weights:\n      gpuMemoryGib: -1\n").path());
    assertEquals("log.format", failure("log:\n  format: xml\n").path());
    assertEquals("chain.genesisFile", failure("chain:\n  enabled: true\n").path());
    assertEquals("system.updateKeys[0]", failure("system:\n  updateKeys: [abc]\n").path());
    assertEquals("system.slotA.root", failure("system:\n  slotA:\n    bootDir: /boot/efi/A\n").path());
  }

  @Test
  void shortAdminTokenIsRefusedWithoutEchoingIt() {
    ConfigException e = failure("api:\n  adminToken: hunter2\n");
    assertEquals("api.adminToken", e.path());
    assertFalse(e.getMessage().contains("hunter2"), "a secret never appears in an error: " + e.getMessage());
  }

  @Test
  void adminTokenStaysOutOfToString() throws Exception {
    NodeConfig config = ConfigLoader.parse("c", "api:\n  adminToken: " + "s".repeat(40) + "\n", NodeConfig.class);
    assertFalse(config.toString().contains("s".repeat(40)));
  }

  /** docs/configuration.md is generated from the records; this keeps the two equal. */
  @Test
  void configurationDocsMatchTheCode() throws Exception {
    Path docs = Path.of(System.getProperty("powerverse.repo", ".."), "docs", "configuration.md");
    String generated = org.powerverse.appliance.internal.cli.ConfigDocsAccess.markdown();
    assertTrue(Files.exists(docs), docs + " is missing: run ./powerverse config docs > docs/configuration.md");
    assertEquals(generated, Files.readString(docs, StandardCharsets.UTF_8),
        "docs/configuration.md is out of date: run ./powerverse config docs > docs/configuration.md");
    assertTrue(generated.contains("`hypervisor.libvirtUri`"));
    assertTrue(ConfigDocs.markdown(NodeConfig.class, "").contains("`provider.score.weights.cpuCoreGhz`"));
  }
}
