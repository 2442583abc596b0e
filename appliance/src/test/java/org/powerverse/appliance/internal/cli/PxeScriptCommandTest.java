package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PxeScriptCommandTest {

  @TempDir Path bundle;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void bundleFiles() throws Exception {
    Files.writeString(bundle.resolve("vmlinuz"), "kernel");
    Files.writeString(bundle.resolve("initrd.img"), "initrd");
    byte[] root = new byte[300_000];
    new java.util.Random(7).nextBytes(root);
    Files.write(bundle.resolve("root.squashfs"), root);
  }

  private Run pxe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine("pxe-script");
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "pxe-script";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(line.execute(all), out.toString(), err.toString());
  }

  @Test
  void theScriptBootsTheBundleWithItsRootImagePinned() throws Exception {
    Run run = pxe("--bundle", bundle.toString(), "--base-url", "http://10.20.0.1/pxe",
        "--config-url", "https://10.20.0.1/nodes/${mac}.yaml", "--config-fingerprint", "ab".repeat(32));
    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.out().lines().toList();
    assertEquals("#!ipxe", lines.get(0));
    // The pinned hash is the one sha256sum (coreutils) computes.
    Process sum = new ProcessBuilder("sha256sum", bundle.resolve("root.squashfs").toString()).start();
    String expected = new String(sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).split(" ")[0];
    String kernel = lines.stream().filter(l -> l.startsWith("kernel ")).findFirst().orElseThrow();
    assertTrue(kernel.startsWith("kernel http://10.20.0.1/pxe/vmlinuz initrd=initrd.img "), kernel);
    assertTrue(kernel.contains(" pv.root=http://10.20.0.1/pxe/root.squashfs pv.root.sha256=" + expected + " "), kernel);
    assertTrue(kernel.contains(" boot=pvnet ip=dhcp "), "the initrd fetches the root image itself: " + kernel);
    assertTrue(kernel.contains(" pv.config=https://10.20.0.1/nodes/${mac}.yaml pv.config.fingerprint=" + "AB".repeat(32)),
        kernel);
    assertTrue(kernel.contains("intel_iommu=on") && kernel.contains("BOOTIF=01-${netX/mac:hexhyp}"), kernel);
    assertTrue(lines.contains("initrd http://10.20.0.1/pxe/initrd.img || goto wait"), run.out());
    assertTrue(lines.contains("boot || goto wait") && lines.contains("goto retry"), run.out());
  }

  @Test
  void anIncompleteBundleOrABadUrlIsRefused() throws Exception {
    Files.delete(bundle.resolve("initrd.img"));
    Run run = pxe("--bundle", bundle.toString(), "--base-url", "http://10.20.0.1/pxe");
    assertEquals(RootCommand.USAGE, run.exit());
    assertTrue(run.err().contains("missing initrd.img"), run.err());
    Files.writeString(bundle.resolve("initrd.img"), "initrd");
    run = pxe("--bundle", bundle.toString(), "--base-url", "tftp://10.20.0.1/pxe");
    assertEquals(RootCommand.USAGE, run.exit());
    assertTrue(run.err().contains("--base-url"), run.err());
  }
}
