package org.powerverse.appliance.internal.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ./powerverse bundle keygen | create | verify, in-process. */
class BundleCommandTest {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run bundle(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = RootCommand.commandLine("bundle");
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "bundle";
    System.arraycopy(args, 0, all, 1, args.length);
    return new Run(line.execute(all), out.toString(), err.toString());
  }

  @Test
  void keygenCreateVerify() throws Exception {
    Path key = dir.resolve("signing.pem");
    Run keygen = bundle("keygen", "--out", key.toString());
    assertEquals(0, keygen.exit(), keygen.err());
    String publicKey = keygen.out().strip();
    assertTrue(publicKey.matches("[0-9a-f]{64}"), publicKey);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    byte[] keyBytes = Files.readAllBytes(key);
    Run again = bundle("keygen", "--out", key.toString());
    assertEquals(RootCommand.FAILED, again.exit());
    assertTrue(again.err().contains("never overwritten"), again.err());
    assertArrayEquals(keyBytes, Files.readAllBytes(key));

    Path rootfs = Files.write(dir.resolve("root.squashfs"), new byte[70_000]);
    Path kernel = Files.write(dir.resolve("vmlinuz"), "kernel".getBytes());
    Path out = dir.resolve("update.pvbundle");
    Run create = bundle("create", "--key", key.toString(), "--version", "0.2.0", "--created-at", "2026-11-25T00:00:00Z",
        "-o", out.toString(), "rootfs=" + rootfs, "kernel=" + kernel);
    assertEquals(0, create.exit(), create.err());
    assertTrue(create.out().contains("\"version\" : \"0.2.0\""), create.out());
    assertFalse(Files.exists(dir.resolve("update.pvbundle.partial")), "no partial file is left");

    Run ok = bundle("verify", "--public-key", publicKey, "--installed", "0.1.0", out.toString());
    assertEquals(0, ok.exit(), ok.err());
    Run older = bundle("verify", "--public-key", publicKey, "--installed", "0.3.0", out.toString());
    assertEquals(RootCommand.FAILED, older.exit());
    assertTrue(older.err().contains("refused (older)"), older.err());
    Run stranger = bundle("verify", "--public-key", "00".repeat(31) + "01", out.toString());
    assertEquals(RootCommand.FAILED, stranger.exit());
    assertTrue(stranger.err().contains("refused (bad_signature)"), stranger.err());
  }

  @Test
  void createWithoutAKeyLeavesNothing() {
    Path out = dir.resolve("x.pvbundle");
    Run run = bundle("create", "--key", dir.resolve("missing.pem").toString(), "--version", "1.0.0", "-o", out.toString(),
        "rootfs=" + dir.resolve("none"));
    assertEquals(RootCommand.FAILED, run.exit());
    assertTrue(run.err().contains("no signing key"), run.err());
    assertFalse(Files.exists(out));
  }
}
