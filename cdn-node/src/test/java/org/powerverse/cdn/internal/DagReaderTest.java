package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.TestData;

/** Path resolution, HAMT lookups, ranges and scopes on the gateway-conformance fixtures (their README lists the CIDs). */
class DagReaderTest {

  private static final String MULTIBLOCK = "bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa";
  private static final List<String> MULTIBLOCK_LEAVES = List.of(
      "bafkreie5noke3mb7hqxukzcy73nl23k6lxszxi5w3dtmuwz62wnvkpsscm",
      "bafkreih4ephajybraj6wnxsbwjwa77fukurtpl7oj7t7pfq545duhot7cq",
      "bafkreigu7buvm3cfunb35766dn7tmqyh2um62zcio63en2btvxuybgcpue",
      "bafkreicll3huefkc3qnrzeony7zcfo7cr3nbx64hnxrqzsixpceg332fhe",
      "bafkreifst3pqztuvj57lycamoi7z34b4emf7gawxs74nwrc2c7jncmpaqm");

  @Test
  void resolvesNestedPathsAndReportsRootsAndPathBlocks() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("gateway-cache/fixtures.car"));
    List<Cid> pathBlocks = new ArrayList<>();
    DagReader.Resolved resolved = new DagReader(car).resolve(car.root(), List.of("root2", "root3", "root4", "index.html"),
        node -> pathBlocks.add(node.cid()));
    List<Cid> roots = cids(car.root().toString(), "bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii",
        "bafybeiawdvhmjcz65x5egzx4iukxc72hg4woks6v6fvgyupiyt3oczk5ja", "bafybeifq2rzpqnqrsdupncmkmhs3ckxxjhuvdcbvydkgvch3ms24k5lo7q",
        "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am");
    assertEquals(roots, resolved.roots());
    assertEquals(roots.subList(0, 4), pathBlocks);
    assertEquals("hello\n", new String(UnixfsImporterTest.read(new DagReader(car), resolved.terminal().cid()), StandardCharsets.UTF_8));
  }

  @Test
  void missingNameAndPathIntoAFileAreNotFound() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/subdir-with-two-single-block-files.car"));
    DagReader reader = new DagReader(car);
    assertThrows(DagReader.PathNotFoundException.class, () -> reader.resolve(car.root(), List.of("subdir", "i-do-not-exist"), n -> { }));
    assertThrows(DagReader.PathNotFoundException.class, () -> reader.resolve(car.root(), List.of("subdir", "ascii.txt", "x"), n -> { }));
  }

  @Test
  void findsEveryEntryOfTheHamtFixtureByHashing() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/single-layer-hamt-with-multi-block-files.car"));
    DagReader reader = new DagReader(car);
    DagNode root = reader.node(car.root());
    assertEquals(DagNode.Kind.HAMT_SHARD, root.kind());
    List<DagReader.Entry> entries = reader.entries(root);
    assertEquals(1000, entries.size());
    for (int i = 1; i <= 1000; i++) {
      Optional<Cid> found = reader.hamtLookup(root, i + ".txt", n -> { });
      assertEquals(Optional.of(Cid.parse(MULTIBLOCK)), found, i + ".txt");
    }
    assertEquals(Optional.empty(), reader.hamtLookup(root, "1001.txt", n -> { }));
  }

  @Test
  void hamtPathFollowsTheUnixfsSpecExample() throws IOException {
    // UnixFS spec, "dag-pb HAMTDirectory Path Resolution": 470.txt is in root bucket 00, then at 6E.
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/single-layer-hamt-with-multi-block-files.car"));
    List<Cid> shards = new ArrayList<>();
    new DagReader(car).resolve(car.root(), List.of("470.txt"), node -> shards.add(node.cid()));
    assertEquals(cids(car.root().toString(), "bafybeiaebmuestgbpqhkkbrwl2qtjtvs3whkmp2trkbkimuod4yv7oygni"), shards);
    Hamt hamt = Hamt.of(new DagReader(car).node(car.root()).unixfs());
    assertEquals("00", hamt.prefix(Hamt.hash("470.txt"), 0));
    assertEquals("6E", hamt.prefix(Hamt.hash("470.txt"), 1));
  }

  @Test
  void entityBytesWalkTouchesOnlyTheBlocksOfTheRange() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/subdir-with-mixed-block-files.car"));
    DagReader reader = new DagReader(car);
    DagNode file = reader.node(Cid.parse(MULTIBLOCK));
    assertEquals(blocks(MULTIBLOCK, MULTIBLOCK_LEAVES.subList(2, 4)), walk(reader, file, new long[] {512, 1024}));
    assertEquals(blocks(MULTIBLOCK, MULTIBLOCK_LEAVES.subList(0, 1)), walk(reader, file, new long[] {0, 1}));
    assertEquals(blocks(MULTIBLOCK, List.of()), walk(reader, file, new long[] {5, 5}));
    assertEquals(blocks(MULTIBLOCK, MULTIBLOCK_LEAVES), walk(reader, file, null));
  }

  @Test
  void rangesReadAroundAMissingBlock() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/file-3k-and-3-blocks-missing-block.car"));
    DagReader reader = new DagReader(car);
    DagNode file = reader.node(car.root());
    assertEquals(3072, file.fileSize());
    List<Cid> touched = new ArrayList<>();
    reader.readFile(file, 2200, 2202, node -> touched.add(node.cid()), slice -> { });
    assertEquals(cids(car.root().toString(), "QmWXY482zQdwecnfBsj78poUUuPXvyw2JAFAEMw4tzTavV"), touched);
    MissingBlockException missing = assertThrows(MissingBlockException.class, () -> reader.readFile(file, 1000, 1100, n -> { }, s -> { }));
    assertEquals(Cid.parse("QmSNLTo6Wv9dfroVaw7MFYjLqf9ho7PKrgsjdzYDtv8h1W"), missing.cid());
  }

  @Test
  void pathsThroughDagCborLinks() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/dir-with-dag-cbor-with-links.car"));
    DagReader reader = new DagReader(car);
    Cid document = Cid.parse("bafyreidy4q6mmetut5jzc54ambsfnatbyoujmwbfzyyolqw24majazwgha");
    DagReader.Resolved resolved = reader.resolve(document, List.of("files", "single"), n -> { });
    assertEquals(Cid.parse("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4"), resolved.terminal().cid());
    assertThrows(DagReader.PathNotFoundException.class, () -> reader.resolve(document, List.of("cats"), n -> { }));
  }

  @Test
  void symlinkTargetReadsAsContent() throws IOException {
    MemoryBlocks car = MemoryBlocks.fromCar(TestData.conformanceFixture("path_gateway_unixfs/symlink.car"));
    DagReader reader = new DagReader(car);
    DagNode link = reader.resolve(car.root(), List.of("bar"), n -> { }).terminal();
    assertEquals(DagNode.Kind.SYMLINK, link.kind());
    assertEquals("foo", new String(UnixfsImporterTest.read(reader, link.cid()), StandardCharsets.UTF_8));
    assertTrue(reader.entries(reader.node(car.root())).stream().anyMatch(e -> e.name().equals("foo")));
  }

  private static List<Cid> walk(DagReader reader, DagNode node, long[] range) {
    List<Cid> out = new ArrayList<>();
    reader.walk(node, DagReader.Scope.ENTITY, range, n -> out.add(n.cid()));
    return out;
  }

  private static List<Cid> blocks(String root, List<String> rest) {
    List<Cid> out = new ArrayList<>();
    out.add(Cid.parse(root));
    rest.forEach(cid -> out.add(Cid.parse(cid)));
    return out;
  }

  private static List<Cid> cids(String... values) {
    List<Cid> out = new ArrayList<>();
    for (String value : values) {
      out.add(Cid.parse(value));
    }
    return out;
  }
}
