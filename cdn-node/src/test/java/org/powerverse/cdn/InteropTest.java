package org.powerverse.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.cdn.internal.BlockSink;
import org.powerverse.cdn.internal.CarIndex;
import org.powerverse.cdn.internal.CarReader;
import org.powerverse.cdn.internal.UnixfsImporter;

/**
 * Differential tests against the npm reference implementations (src/test/oracle): the same files
 * through helia's ipfs-unixfs-importer and ours must give the same CIDs, our CARs must read in
 * {@code @ipld/car}, its CARs must unpack here, and multiformats must parse and print CIDs as we do.
 * File contents are seeded random bytes of sizes around the chunk and width boundaries.
 */
@Tag("integration")
class InteropTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIB = 1024 * 1024;
  private static final int KIB256 = 256 * 1024;
  private static Path oracle;

  @TempDir
  static Path files;

  @BeforeAll
  static void installOracle() throws Exception {
    Assumptions.assumeTrue(onPath("node") && onPath("npm"), "node and npm are not on the PATH (the interop tests need node >= 20 and npm)");
    Path repo = Path.of(System.getProperty("powerverse.repo", "..")).toAbsolutePath();
    Path script = repo.resolve("cdn-node/src/test/oracle/install.sh");
    oracle = repo.resolve("cdn-node/target/oracle");
    // npm's output goes to a file: the test JVM's stdout is surefire's command channel, and
    // bytes written to it by a child process corrupt that channel and fail the whole fork.
    Path log = repo.resolve("cdn-node/target/oracle-install.log");
    Files.createDirectories(log.getParent());
    Process install = new ProcessBuilder("bash", script.toString(), oracle.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(install.waitFor(10, TimeUnit.MINUTES), "npm ci did not finish in 10 minutes");
    assertEquals(0, install.exitValue(), () -> "installing the npm oracle failed:\n" + readQuietly(log));
  }

  @Test
  void profilesGiveTheSameCidsAsIpfsUnixfsImporter() throws Exception {
    ArrayNode jobs = JSON.createArrayNode();
    List<String> ours = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int[] v1Sizes = {0, 1, 1000, MIB - 1, MIB, MIB + 1, 2 * MIB, 3 * MIB + 5};
    int[] v0Sizes = {0, 1, 1000, KIB256 - 1, KIB256, KIB256 + 1, 174 * KIB256, 174 * KIB256 + 1};
    for (UnixfsProfile profile : UnixfsProfile.values()) {
      for (int size : profile == UnixfsProfile.UNIXFS_V1_2025 ? v1Sizes : v0Sizes) {
        Path file = file(size);
        jobs.addObject().put("op", "cid").put("file", file.toString()).put("profile", profile.profileName());
        try (InputStream in = Files.newInputStream(file)) {
          ours.add(UnixfsImporter.importFile(in, profile, BlockSink.DISCARD).root().toString());
        }
        labels.add(profile + " " + size + " bytes");
      }
    }
    assertSameCids(jobs, ours, labels);
  }

  /** Multi-level trees with small layout parameters: three and four levels from a few KiB. */
  @Test
  void multiLevelTreesGiveTheSameCidsAsIpfsUnixfsImporter() throws Exception {
    ArrayNode jobs = JSON.createArrayNode();
    List<String> ours = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<UnixfsImporter.Params> layouts = List.of(
        new UnixfsImporter.Params(1, true, 16, 8), new UnixfsImporter.Params(0, false, 16, 8),
        new UnixfsImporter.Params(1, true, 1024, 1024), new UnixfsImporter.Params(1, false, 100, 3));
    int[] sizes = {16 * 8, 16 * 8 + 1, 16 * 64, 16 * 64 + 1, 16 * 512, 16 * 512 + 1, 300 * 100 + 7, MIB + 1};
    for (UnixfsImporter.Params layout : layouts) {
      for (int size : sizes) {
        Path file = file(size);
        jobs.addObject().put("op", "cid").put("file", file.toString()).put("cidVersion", layout.cidVersion())
            .put("rawLeaves", layout.rawLeaves()).put("chunkSize", layout.chunkSize()).put("maxLinks", layout.maxLinks());
        try (InputStream in = Files.newInputStream(file)) {
          ours.add(UnixfsImporter.importFile(in, layout, BlockSink.DISCARD).root().toString());
        }
        labels.add(layout + " " + size + " bytes");
      }
    }
    assertSameCids(jobs, ours, labels);
  }

  @Test
  void ourCarsReadInIpldCarAndTheirsUnpackHere() throws Exception {
    ArrayNode jobs = JSON.createArrayNode();
    List<Path> contents = new ArrayList<>();
    List<Cid> roots = new ArrayList<>();
    List<List<String>> ourBlocks = new ArrayList<>();
    for (UnixfsProfile profile : UnixfsProfile.values()) {
      Path content = file(profile.chunkSize() * 3 + 11);
      contents.add(content);
      Path ourCar = files.resolve("ours-" + profile + ".car");
      try (InputStream in = Files.newInputStream(content)) {
        roots.add(CarCommand.Pack.pack(in, profile, ourCar));
      }
      List<String> blocks = new ArrayList<>();
      try (InputStream in = Files.newInputStream(ourCar); CarReader reader = CarReader.open(in)) {
        CarReader.Section section;
        while ((section = reader.next()) != null) {
          blocks.add(section.block().cid().toString());
        }
      }
      ourBlocks.add(blocks);
      jobs.addObject().put("op", "car").put("file", ourCar.toString());
      jobs.addObject().put("op", "pack").put("file", content.toString()).put("profile", profile.profileName())
          .put("out", files.resolve("theirs-" + profile + ".car").toString());
    }
    JsonNode results = oracle(jobs);
    for (int i = 0; i < UnixfsProfile.values().length; i++) {
      UnixfsProfile profile = UnixfsProfile.values()[i];
      JsonNode read = results.get(2 * i);
      assertNull(read.get("error"), () -> profile + ": @ipld/car could not read our CAR: " + read);
      assertEquals(1, read.get("version").asInt());
      assertEquals(roots.get(i).toString(), read.get("roots").get(0).asText());
      List<String> theirView = new ArrayList<>();
      read.get("blocks").forEach(block -> theirView.add(block.asText()));
      assertEquals(ourBlocks.get(i), theirView);

      JsonNode packed = results.get(2 * i + 1);
      assertEquals(roots.get(i).toString(), packed.get("cid").asText(), profile + ": their CAR's root");
      Path theirCar = files.resolve("theirs-" + profile + ".car");
      Path unpacked = files.resolve("unpacked-" + profile);
      try (CarIndex car = CarIndex.open(theirCar)) {
        org.powerverse.cdn.internal.UnixfsExporter.export(new org.powerverse.cdn.internal.DagReader(car), car.roots().get(0), unpacked);
      }
      assertArrayEquals(Files.readAllBytes(contents.get(i)), Files.readAllBytes(unpacked));
    }
  }

  @Test
  void multiformatsParsesAndPrintsCidsAsWeDo() throws Exception {
    Set<Cid> cids = new LinkedHashSet<>();
    cids.add(Cid.rawSha256(new byte[0]));
    cids.add(Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"));
    cids.add(Cid.EMPTY_IDENTITY_RAW);
    cids.add(Cid.parse("k51qzi5uqu5dgh7y9l90nqs6tvnzcm9erbt8fhzg3fu79p5qt9zb2izvfu51ki"));
    cids.add(Cid.v1(Multicodec.DAG_CBOR, Multihash.sha256(new byte[] {(byte) 0xa0})));
    Random random = new Random(11);
    for (int i = 0; i < 20; i++) {
      byte[] data = new byte[random.nextInt(64)];
      random.nextBytes(data);
      cids.add(Cid.v1(Multicodec.RAW, Multihash.sha256(data)));
      cids.add(Cid.v0(Multihash.sha256(data)));
    }
    ArrayNode jobs = JSON.createArrayNode();
    List<String> inputs = new ArrayList<>();
    for (Cid cid : cids) {
      inputs.add(cid.toString());
      inputs.add(cid.toV1().toString(Multibase.BASE36));
      inputs.add(cid.toV1().toString(Multibase.BASE58BTC));
    }
    inputs.forEach(text -> jobs.addObject().put("op", "parse").put("cid", text));
    JsonNode results = oracle(jobs);
    for (int i = 0; i < inputs.size(); i++) {
      Cid ours = Cid.parse(inputs.get(i));
      JsonNode theirs = results.get(i);
      assertNull(theirs.get("error"), inputs.get(i) + ": " + theirs);
      assertEquals(ours.version(), theirs.get("version").asInt(), inputs.get(i));
      assertEquals(ours.codec(), theirs.get("code").asLong(), inputs.get(i));
      assertEquals(ours.multihash().code(), theirs.get("hashCode").asLong(), inputs.get(i));
      assertEquals(java.util.HexFormat.of().formatHex(ours.multihash().digest()), theirs.get("digest").asText());
      assertEquals(ours.toV1().toString(Multibase.BASE32), theirs.get("base32").asText());
      assertEquals(ours.toV1().toString(Multibase.BASE58BTC), theirs.get("base58btc").asText());
      assertEquals(ours.toV1().toString(Multibase.BASE36), theirs.get("base36").asText());
    }
  }

  private void assertSameCids(ArrayNode jobs, List<String> ours, List<String> labels) throws Exception {
    JsonNode results = oracle(jobs);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      JsonNode result = results.get(i);
      String theirs = result.has("cid") ? result.get("cid").asText() : "error: " + result.get("error");
      if (!ours.get(i).equals(theirs)) {
        mismatches.add(labels.get(i) + ": ours " + ours.get(i) + ", ipfs-unixfs-importer " + theirs);
      }
    }
    assertEquals(List.of(), mismatches);
  }

  /** A file of seeded random bytes, made once per size. */
  private static Path file(int size) throws IOException {
    Path file = files.resolve("content-" + size + ".bin");
    if (!Files.exists(file)) {
      byte[] content = new byte[size];
      new Random(size).nextBytes(content);
      Files.write(file, content);
    }
    return file;
  }

  private static JsonNode oracle(ArrayNode jobs) throws Exception {
    Process node = new ProcessBuilder("node", oracle.resolve("oracle.mjs").toString())
        .directory(oracle.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try (OutputStream in = node.getOutputStream()) {
      in.write(JSON.writeValueAsBytes(jobs));
    }
    byte[] out = node.getInputStream().readAllBytes();
    assertTrue(node.waitFor(5, TimeUnit.MINUTES), "the oracle did not finish");
    assertEquals(0, node.exitValue(), () -> "the oracle failed: " + new String(out, StandardCharsets.UTF_8));
    JsonNode results = JSON.readTree(out);
    assertEquals(jobs.size(), results.size());
    return results;
  }

  private static boolean onPath(String command) {
    try {
      Process process = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(could not read " + file + ": " + e.getMessage() + ")";
    }
  }
}
