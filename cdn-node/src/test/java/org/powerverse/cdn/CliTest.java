package org.powerverse.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code cid} and {@code car} commands, run in-process as the launcher runs them. */
class CliTest {

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new CommandLine(command);
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(err));
    int exit = line.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void cidPrintsTheProfileVectorForHelloWorld() throws IOException {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello world");
    assertEquals("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\n", run(new CidCommand(), file.toString()).out());
    Run v0 = run(new CidCommand(), "--profile", "unixfs-v0-2015", file.toString());
    assertEquals(0, v0.exit());
    assertEquals("Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD\n", v0.out());
  }

  @Test
  void cidRejectsUnknownProfilesMissingFilesAndDirectories() {
    Run badProfile = run(new CidCommand(), "--profile", "unixfs-v9", dir.toString());
    assertEquals(2, badProfile.exit());
    assertTrue(badProfile.err().contains("unixfs-v1-2025"), badProfile.err());
    Run missing = run(new CidCommand(), dir.resolve("nope").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("no such file"), missing.err());
    Run directory = run(new CidCommand(), dir.toString());
    assertEquals(1, directory.exit());
    assertTrue(directory.err().contains("is a directory"), directory.err());
  }

  @Test
  void packThenUnpackRoundTripsAMultiLevelFile() throws IOException {
    // 175 chunks of 256 KiB under unixfs-v0-2015 needs a second tree level (174 links per node).
    byte[] content = new byte[175 * 256 * 1024 + 17];
    new Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("big.bin"), content);
    Path car = dir.resolve("big.car");
    Run pack = run(new CarCommand(), "pack", "--profile", "unixfs-v0-2015", file.toString(), "-o", car.toString());
    assertEquals(0, pack.exit(), pack.err());
    String root = pack.out().trim();
    assertEquals(root, run(new CidCommand(), "--profile", "unixfs-v0-2015", file.toString()).out().trim());
    assertTrue(root.startsWith("Qm"), root);
    Path out = dir.resolve("back.bin");
    Run unpack = run(new CarCommand(), "unpack", car.toString(), "-o", out.toString());
    assertEquals(0, unpack.exit(), unpack.err());
    assertArrayEquals(content, Files.readAllBytes(out));
  }

  @Test
  void unpackWritesTheConformanceDirectory() throws IOException {
    Path out = dir.resolve("dir");
    Run unpack = run(new CarCommand(), "unpack", TestData.conformanceFixture("path_gateway_unixfs/dir-with-files.car").toString(), "-o", out.toString());
    assertEquals(0, unpack.exit(), unpack.err());
    assertEquals("hello world\n", Files.readString(out.resolve("hello.txt")));
    assertEquals("hello application/vnd.ipld.car\n", Files.readString(out.resolve("ascii.txt")));
    assertEquals("hello application/vnd.ipld.car\n", Files.readString(out.resolve("ascii-copy.txt")));
    assertEquals(1026, Files.size(out.resolve("multiblock.txt")));
  }

  @Test
  void unpackRefusesACorruptedBlockAndAnIncompleteDag() throws IOException {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello world, once more");
    Path car = dir.resolve("hello.car");
    assertEquals(0, run(new CarCommand(), "pack", file.toString(), "-o", car.toString()).exit());
    byte[] bytes = Files.readAllBytes(car);
    bytes[bytes.length - 1] ^= 1; // the last byte of the only block's data
    Files.write(car, bytes);
    Run corrupted = run(new CarCommand(), "unpack", car.toString(), "-o", dir.resolve("x").toString());
    assertEquals(1, corrupted.exit());
    assertTrue(corrupted.err().contains("does not hash to its CID"), corrupted.err());

    Run incomplete = run(new CarCommand(), "unpack",
        TestData.conformanceFixture("trustless_gateway_car/file-3k-and-3-blocks-missing-block.car").toString(), "-o", dir.resolve("y").toString());
    assertEquals(1, incomplete.exit());
    assertTrue(incomplete.err().contains("QmSNLTo6Wv9dfroVaw7MFYjLqf9ho7PKrgsjdzYDtv8h1W"), incomplete.err());
  }

  @Test
  void packRefusesToOverwrite() throws IOException {
    Path file = Files.writeString(dir.resolve("a.txt"), "a");
    Path car = Files.writeString(dir.resolve("a.car"), "existing");
    Run pack = run(new CarCommand(), "pack", file.toString(), "-o", car.toString());
    assertEquals(1, pack.exit());
    assertEquals("existing", Files.readString(car, StandardCharsets.UTF_8));
  }
}
