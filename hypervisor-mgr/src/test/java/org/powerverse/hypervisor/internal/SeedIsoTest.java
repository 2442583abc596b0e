package org.powerverse.hypervisor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.powerverse.hypervisor.VmSpec;

/** NoCloud meta-data and user-data (cloud-init docs: reference/datasources/nocloud). */
class SeedIsoTest {

  @Test
  void metaDataNamesInstanceHostAndQuotedKeys() throws Exception {
    String meta = SeedIso.metaData("web-1", UUID.fromString("6f1c1f4e-8a7b-4c3e-9d2a-0b1c2d3e4f50"),
        List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHk4 alice@example", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB bob \"laptop\""));
    assertEquals(Files.readString(Path.of("src/test/fixtures/cloud-init/meta-data")), meta);
  }

  @Test
  void userDataIsGivenAsIsOrAnEmptyCloudConfig() {
    assertEquals("#!/bin/sh\necho hi\n", SeedIso.userData(new VmSpec.CloudInit("#!/bin/sh\necho hi\n", null)));
    assertEquals("#cloud-config\n", SeedIso.userData(new VmSpec.CloudInit(null, null)));
  }
}
