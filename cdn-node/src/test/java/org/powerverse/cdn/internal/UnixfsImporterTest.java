package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.Multicodec;
import org.powerverse.cdn.TestData;
import org.powerverse.cdn.UnixfsProfile;

/**
 * Known CIDs of files: IPIP-0499's profile fixtures, Kubo's empty file, and gateway-conformance's
 * multiblock.txt (1026 bytes in 256-byte raw leaves), re-imported from the bytes in its CAR.
 */
class UnixfsImporterTest {

  private static final byte[] HELLO = "hello world".getBytes(StandardCharsets.US_ASCII);

  @Test
  void helloWorldMatchesBothProfileVectors() throws IOException {
    // IPIP-0499 "Test fixtures": Small file "hello world" under each profile.
    assertEquals("Qmf412jQZiuVUtdgnB36FXFX7xg5V6KEbSJ4dpQuhkLyfD", cid(HELLO, UnixfsProfile.UNIXFS_V0_2015));
    assertEquals("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", cid(HELLO, UnixfsProfile.UNIXFS_V1_2025));
  }

  @Test
  void emptyFileIsOneEmptyLeaf() throws IOException {
    // `ipfs add` of an empty file (Kubo) and the raw empty block.
    assertEquals("QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH", cid(new byte[0], UnixfsProfile.UNIXFS_V0_2015));
    assertEquals("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", cid(new byte[0], UnixfsProfile.UNIXFS_V1_2025));
  }

  @Test
  void reimportingConformanceMultiblockFileGivesItsCid() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("path_gateway_unixfs/dir-with-files.car"));
    Cid multiblock = Cid.parse("bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa");
    byte[] content = read(new DagReader(car), multiblock);
    assertEquals(1026, content.length);
    MemoryBlocks out = new MemoryBlocks();
    UnixfsImporter.Result result = UnixfsImporter.importFile(new ByteArrayInputStream(content),
        new UnixfsImporter.Params(1, true, 256, 174), out);
    assertEquals(multiblock, result.root());
    assertArrayEquals(car.bytes(multiblock), out.bytes(multiblock));
    assertEquals(6, result.blocks());
  }

  @Test
  void singleChunkV1FileIsARawBlockAndTwoChunksAreOneNode() throws IOException {
    MemoryBlocks blocks = new MemoryBlocks();
    UnixfsImporter.Params params = new UnixfsImporter.Params(1, true, 4, 3);
    Cid single = UnixfsImporter.importFile(new ByteArrayInputStream(new byte[4]), params, blocks).root();
    assertEquals(Multicodec.RAW.code(), single.codec());
    Cid two = UnixfsImporter.importFile(new ByteArrayInputStream(new byte[5]), params, blocks).root();
    DagNode node = new DagReader(blocks).node(two);
    assertEquals(DagNode.Kind.FILE, node.kind());
    assertEquals(List.of(4L, 1L), node.unixfs().blocksizes());
  }

  /**
   * Balanced layout (boxo balanced/builder.go): every leaf at the same depth, each node full
   * before a sibling starts, and the bytes read back unchanged. With 3 links per node, 1..28
   * chunks cover depths 0 to 3 and the +1 edges at 3, 9 and 27 chunks.
   */
  @ParameterizedTest(name = "{0} chunks")
  @ValueSource(ints = {1, 2, 3, 4, 8, 9, 10, 26, 27, 28})
  void balancedLayoutKeepsLeavesAtOneDepthAndRoundTrips(int chunks) throws IOException {
    byte[] content = new byte[chunks * 4 - 1];
    new Random(chunks).nextBytes(content);
    for (boolean raw : new boolean[] {true, false}) {
      MemoryBlocks blocks = new MemoryBlocks();
      UnixfsImporter.Params params = new UnixfsImporter.Params(raw ? 1 : 0, raw, 4, 3);
      UnixfsImporter.Result result = UnixfsImporter.importFile(new ByteArrayInputStream(content), params, blocks);
      DagReader reader = new DagReader(blocks);
      assertArrayEquals(content, read(reader, result.root()));
      int expectedDepth = chunks == 1 ? 0 : (int) Math.ceil(Math.log(chunks) / Math.log(3) - 1e-9);
      assertEquals(expectedDepth, leafDepth(reader, result.root()), "leaf depth for " + chunks + " chunks");
      assertEquals(content.length, result.fileSize());
    }
  }

  @Test
  void tsizeOfRootIsTheSumOfAllBlocks() throws IOException {
    MemoryBlocks blocks = new MemoryBlocks();
    byte[] content = new byte[40];
    UnixfsImporter.Result result = UnixfsImporter.importFile(new ByteArrayInputStream(content),
        new UnixfsImporter.Params(0, false, 4, 3), blocks);
    long total = 0;
    for (Cid cid : allCids(new DagReader(blocks), result.root())) {
      total += blocks.bytes(cid).length;
    }
    assertEquals(total, result.dagSize());
  }

  private static List<Cid> allCids(DagReader reader, Cid root) {
    List<Cid> out = new java.util.ArrayList<>();
    reader.walk(reader.node(root), DagReader.Scope.ALL, null, node -> out.add(node.cid()));
    return out;
  }

  private static int leafDepth(DagReader reader, Cid root) {
    DagNode node = reader.node(root);
    if (node.pb() == null || node.pb().links().isEmpty()) {
      return 0;
    }
    int depth = -1;
    for (PbLink link : node.pb().links()) {
      int child = leafDepth(reader, link.hash());
      assertTrue(depth == -1 || depth == child, "leaves at different depths under " + root);
      depth = child;
    }
    return depth + 1;
  }

  static byte[] read(DagReader reader, Cid cid) {
    DagNode node = reader.node(cid);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.readFile(node, 0, node.fileSize(), block -> { }, slice -> {
      byte[] bytes = new byte[slice.remaining()];
      slice.get(bytes);
      out.write(bytes);
    });
    return out.toByteArray();
  }

  private static String cid(byte[] content, UnixfsProfile profile) throws IOException {
    return UnixfsImporter.importFile(new ByteArrayInputStream(content), profile, BlockSink.DISCARD).root().toString();
  }
}
