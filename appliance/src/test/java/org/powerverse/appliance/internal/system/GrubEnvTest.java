package org.powerverse.appliance.internal.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GRUB's environment block, checked against GRUB's own grub-editenv (grub-common) both ways. */
class GrubEnvTest {

  @TempDir Path dir;

  @Test
  void roundTripsVariablesInOrderAndPadsTo1024Bytes() throws IOException {
    GrubEnv env = GrubEnv.empty().set("ORDER", "B A").set("A_OK", "1").set("B_TRY", "2").set("NOTE", "back\\slash\nnewline");
    byte[] block = env.toBytes();
    assertEquals(1024, block.length);
    assertEquals('#', block[1023]);
    GrubEnv again = GrubEnv.parse(block);
    assertEquals(env.asMap(), again.asMap());
    assertEquals(List.of("ORDER", "A_OK", "B_TRY", "NOTE"), new ArrayList<>(again.asMap().keySet()));
  }

  @Test
  void refusesBlocksThatAreNotGrubs() {
    assertThrows(IOException.class, () -> GrubEnv.parse(new byte[1023]));
    byte[] wrong = new byte[1024];
    assertThrows(IOException.class, () -> GrubEnv.parse(wrong));
    byte[] noEol = GrubEnv.empty().toBytes();
    byte[] text = "# GRUB Environment Block\nA=1".getBytes(StandardCharsets.ISO_8859_1);
    byte[] cut = new byte[1024];
    System.arraycopy(text, 0, cut, 0, text.length);
    java.util.Arrays.fill(cut, text.length, 1024, (byte) 'x');
    assertThrows(IOException.class, () -> GrubEnv.parse(cut));
    assertEquals(Map.of(), assertDoesNotThrow(noEol));
    assertThrows(IllegalArgumentException.class, () -> GrubEnv.empty().set("1BAD", "x"));
    assertThrows(IllegalStateException.class, () -> GrubEnv.empty().set("BIG", "x".repeat(1000)).toBytes());
  }

  private static Map<String, String> assertDoesNotThrow(byte[] block) {
    try {
      return GrubEnv.parse(block).asMap();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @Tag("integration")
  void grubEditenvReadsWhatWeWriteAndWeReadWhatItWrites() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/grub-editenv")), "grub-editenv missing (Debian grub-common)");
    Path ours = dir.resolve("ours");
    GrubEnv.empty().set("ORDER", "B A").set("A_OK", "1").set("A_TRY", "0").set("B_STATE", "pending").write(ours);
    assertEquals(List.of("ORDER=B A", "A_OK=1", "A_TRY=0", "B_STATE=pending"), run("grub-editenv", ours.toString(), "list"));

    Path theirs = dir.resolve("theirs");
    run("grub-editenv", theirs.toString(), "create");
    run("grub-editenv", theirs.toString(), "set", "ORDER=A B", "B_TRY=3", "X=a\\b");
    run("grub-editenv", theirs.toString(), "unset", "B_TRY");
    GrubEnv read = GrubEnv.read(theirs);
    assertEquals(Map.of("ORDER", "A B", "X", "a\\b"), read.asMap());
    // Debian's grub-editenv adds a comment line; we skip it as GRUB does, and our rewrite of its
    // block is read back by it.
    read.set("B_OK", "0").write(theirs);
    assertEquals(List.of("ORDER=A B", "X=a\\b", "B_OK=0"), run("grub-editenv", theirs.toString(), "list"));
  }

  @Test
  @Tag("integration")
  void grubAcceptsTheAbSelectionScript() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/grub-script-check")), "grub-script-check missing (Debian grub-common)");
    Path script = Path.of("..", "image-build", "ab", "grub-ab.cfg").toAbsolutePath().normalize();
    assertTrue(Files.isRegularFile(script), script.toString());
    run("grub-script-check", script.toString());
    // It reads and writes exactly the variables SystemSlots keeps for GRUB.
    String text = Files.readString(script);
    for (String variable : List.of("ORDER", "A_OK", "A_TRY", "B_OK", "B_TRY", "save_env", "pv_slot")) {
      assertTrue(text.contains(variable), variable);
    }
  }

  private static List<String> run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
    return out.lines().toList();
  }
}
