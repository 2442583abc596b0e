package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.TestData;

/**
 * ipfs/gateway-conformance's trustless gateway tests (tests/trustless_gateway_car_test.go and
 * tests/trustless_gateway_raw_test.go at 22c76440), ported to JUnit over real HTTP on loopback,
 * against the same fixtures. Each CAR test runs twice, as the suite's
 * StandardCARTestTransforms does: with {@code ?format=car} and with {@code Accept} alone, and
 * checks the standard CAR response headers.
 */
@Tag("integration")
class TrustlessGatewayConformanceTest {

  static final String SUBDIR_TWO = "bafybeietjm63oynimmv5yyqay33nui4y4wx6u3peezwetxgiwvfmelutzu";
  static final String SUBDIR_TWO_SUBDIR = "bafybeiggghzz6dlue3m6nb2dttnbrygxh3lrjl5764f2m4gq7dgzdt55o4";
  static final String HAMT = "bafybeidbclfqleg2uojchspzd4bob56dqetqjsj27gy2cq3klkkgxtpn4i";
  static final String MIXED = "bafybeidh6k2vzukelqtrjsmd4p52cpmltd2ufqrdtdg6yigi73in672fwu";
  static final String MIXED_SUBDIR = "bafybeicnmple4ehlz3ostv2sbojz3zhh5q7tz5r2qkfdpqfilgggeen7xm";
  static final String CBOR_DIR = "bafybeia264q44a3kmfc2otctzu4egp2k235o3t7mslz2yjraymp4nv6asi";
  static final String CBOR_DOCUMENT = "bafyreidy4q6mmetut5jzc54ambsfnatbyoujmwbfzyyolqw24majazwgha";
  static final String MISSING_BLOCK_FILE = "QmYhmPjhFjYFyaoiuNzYv8WGavpSRDwdHWe5B4M5du5Rtk";
  static final String DUPLICATES = "bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy";
  static final String RAW_BLOCK_ROOT = "bafybeie72edlprgtlwwctzljf6gkn2wnlrddqjbkxo3jomh4n7omwblxly";
  static final String RAW_BLOCK_DIR = "bafybeifaqksygmsbnqe76kwvxoqxtkzcwssq5jkhuo65ldtqiunr3bxlra";
  static final String RAW_BLOCK_ASCII = "bafkreihhpc5y2pqvl5rbe5uuyhqjouybfs3rvlmisccgzue2kkt5zq6upq";
  static final String ASCII = "bafkreifkam6ns4aoolg3wedr4uzrs3kvq66p4pecirz6y2vlrngla62mxm";
  static final String HELLO = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  static final String MULTIBLOCK = "bafybeigcisqd7m5nf3qmuvjdbakl5bdnh4ocrmacaqkpuh77qjvggmt2sa";
  static final List<String> MULTIBLOCK_LEAVES = List.of(
      "bafkreie5noke3mb7hqxukzcy73nl23k6lxszxi5w3dtmuwz62wnvkpsscm",
      "bafkreih4ephajybraj6wnxsbwjwa77fukurtpl7oj7t7pfq545duhot7cq",
      "bafkreigu7buvm3cfunb35766dn7tmqyh2um62zcio63en2btvxuybgcpue",
      "bafkreicll3huefkc3qnrzeony7zcfo7cr3nbx64hnxrqzsixpceg332fhe",
      "bafkreifst3pqztuvj57lycamoi7z34b4emf7gawxs74nwrc2c7jncmpaqm");

  @TempDir
  static Path dir;
  static GatewayHarness gateway;
  static MemoryBlocks hamt;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayHarness.start(dir,
        "trustless_gateway_car/subdir-with-two-single-block-files.car",
        "trustless_gateway_car/single-layer-hamt-with-multi-block-files.car",
        "trustless_gateway_car/subdir-with-mixed-block-files.car",
        "trustless_gateway_car/dir-with-dag-cbor-with-links.car",
        "trustless_gateway_car/file-3k-and-3-blocks-missing-block.car",
        "trustless_gateway_car/dir-with-duplicate-files.car",
        "gateway-raw-block.car");
    hamt = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/single-layer-hamt-with-multi-block-files.car"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  // --- TestTrustlessRaw / TestGatewayBlock ---------------------------------------------------

  @Test
  void rawBlockByFormatParameterAndByAccept() throws Exception {
    byte[] dirBlock = gateway.store.getCopy(Cid.parse(RAW_BLOCK_DIR)).orElseThrow();
    HttpResponse<byte[]> byParameter = gateway.get("/ipfs/" + RAW_BLOCK_DIR + "?format=raw");
    assertEquals(200, byParameter.statusCode());
    assertArrayEquals(dirBlock, byParameter.body());
    HttpResponse<byte[]> byAccept = gateway.get("/ipfs/" + RAW_BLOCK_DIR, "Accept", "application/vnd.ipld.raw");
    assertEquals(200, byAccept.statusCode());
    assertArrayEquals(dirBlock, byAccept.body());
    assertEquals("/ipfs/" + RAW_BLOCK_DIR + "?format=raw", header(byAccept, "Content-Location"));
    // TestGatewayBlock: the same through a path.
    HttpResponse<byte[]> pathed = gateway.get("/ipfs/" + RAW_BLOCK_ROOT + "/dir?format=raw");
    assertEquals(200, pathed.statusCode());
    assertArrayEquals(dirBlock, pathed.body());
  }

  @Test
  void rawBlockResponseHeaders() throws Exception {
    for (String path : List.of("/ipfs/" + RAW_BLOCK_ASCII, "/ipfs/" + RAW_BLOCK_ROOT + "/dir/ascii.txt")) {
      HttpResponse<byte[]> response = gateway.get(path, "Accept", "application/vnd.ipld.raw");
      assertEquals(200, response.statusCode());
      assertEquals("application/vnd.ipld.raw", header(response, "Content-Type"));
      assertEquals("31", header(response, "Content-Length"));
      assertTrue(header(response, "Content-Disposition").contains("attachment;"));
      assertEquals("nosniff", header(response, "X-Content-Type-Options"));
      assertEquals("hello application/vnd.ipld.raw\n", new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      assertTrue(!header(response, "Etag").isEmpty());
      assertEquals(path, header(response, "X-Ipfs-Path"));
      assertTrue(header(response, "X-Ipfs-Roots").contains(path.contains("/dir/") ? RAW_BLOCK_ROOT : RAW_BLOCK_ASCII));
      assertImmutableCaching(header(response, "Cache-Control"));
    }
    HttpResponse<byte[]> named = gateway.get("/ipfs/" + RAW_BLOCK_ASCII + "?filename=foobar.bin", "Accept", "application/vnd.ipld.raw");
    assertTrue(header(named, "Content-Disposition").contains("attachment;"));
    assertTrue(header(named, "Content-Disposition").contains("filename=\"foobar.bin"));
  }

  @Test
  void rawBlockRanges() throws Exception {
    // TestTrustlessRawRanges (single and multiple) and TestGatewayBlock's range on the dir block.
    HttpResponse<byte[]> single = gateway.get("/ipfs/" + RAW_BLOCK_ASCII, "Accept", "application/vnd.ipld.raw", "Range", "bytes=6-16");
    assertEquals(206, single.statusCode());
    assertEquals("bytes 6-16/31", header(single, "Content-Range"));
    assertEquals("application", new String(single.body(), java.nio.charset.StandardCharsets.US_ASCII));
    HttpResponse<byte[]> dirRange = gateway.get("/ipfs/" + RAW_BLOCK_ROOT + "/dir", "Accept", "application/vnd.ipld.raw", "Range", "bytes=6-16");
    assertEquals(206, dirRange.statusCode());
    assertEquals("application/vnd.ipld.raw", header(dirRange, "Content-Type"));
    assertEquals("bytes 6-16/57", header(dirRange, "Content-Range"));
    HttpResponse<byte[]> multi = gateway.get("/ipfs/" + RAW_BLOCK_ASCII, "Accept", "application/vnd.ipld.raw", "Range", "bytes=6-16,0-4");
    assertEquals(206, multi.statusCode());
    String body = new String(multi.body(), java.nio.charset.StandardCharsets.US_ASCII);
    assertTrue(header(multi, "Content-Type").startsWith("multipart/byteranges"));
    assertTrue(body.contains("Content-Range: bytes 6-16/31") && body.contains("application"), body);
    assertTrue(body.contains("Content-Range: bytes 0-4/31") && body.contains("hello"), body);
  }

  @Test
  void probeCidAnswersEmptyBlockAndEmptyCar() throws Exception {
    HttpResponse<byte[]> raw = gateway.get("/ipfs/bafkqaaa?format=raw", "Accept", "application/vnd.ipld.raw");
    assertEquals(200, raw.statusCode());
    assertEquals(0, raw.body().length);
    HttpResponse<byte[]> car = gateway.get("/ipfs/bafkqaaa?format=car", "Accept", "application/vnd.ipld.car");
    assertEquals(200, car.statusCode());
    assertEquals(List.of(Cid.parse("bafkqaaa")), GatewayHarness.carRoots(car.body()));
    assertEquals(List.of(), GatewayHarness.carBlocks(car.body()));
    assertEquals(200, gateway.head("/ipfs/bafkqaaa?format=raw").statusCode());
  }

  @Test
  void badCidIs400AndMissingRootIs404() throws Exception {
    assertEquals(400, gateway.get("/ipfs/not-a-cid?format=raw").statusCode());
    assertEquals(400, gateway.get("/ipfs/bafybeibad?format=car").statusCode());
    // A well-formed CID this non-recursive gateway (no upstream) does not have.
    assertEquals(404, gateway.get("/ipfs/QmYzfKSE55XCjD1MW128RfciAf2DViABhEiXfgVFMabSjN?format=raw").statusCode());
    assertEquals(404, gateway.head("/ipfs/QmYzfKSE55XCjD1MW128RfciAf2DViABhEiXfgVFMabSjN?format=car").statusCode());
  }

  // --- TestTrustlessCarPathing --------------------------------------------------------------

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void carPathingThroughADirectory(String via) throws Exception {
    assertCar(via, "/ipfs/" + SUBDIR_TWO + "/subdir/ascii.txt", "", List.of(SUBDIR_TWO, SUBDIR_TWO_SUBDIR, ASCII), true);
  }

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void carPathingThroughAHamt(String via) throws Exception {
    List<String> expected = new ArrayList<>();
    expected.add(HAMT);
    expected.addAll(hamtShardsOnTheWayTo("685.txt"));
    expected.add(MULTIBLOCK);
    expected.addAll(MULTIBLOCK_LEAVES);
    assertCar(via, "/ipfs/" + HAMT + "/685.txt", "", expected, true);
  }

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void carPathingThroughDagCbor(String via) throws Exception {
    assertCar(via, "/ipfs/" + CBOR_DOCUMENT + "/files/single", "", List.of(CBOR_DOCUMENT, HELLO), true);
  }

  @Test
  void carOfAPathThatDoesNotExistIs404() throws Exception {
    assertEquals(404, gateway.get("/ipfs/" + SUBDIR_TWO + "/subdir/i-do-not-exist?format=car").statusCode());
  }

  // --- TestTrustlessCarDagScopeBlock / Entity / All -------------------------------------------

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void dagScopeBlock(String via) throws Exception {
    assertCar(via, "/ipfs/" + SUBDIR_TWO + "/subdir", "&dag-scope=block", List.of(SUBDIR_TWO, SUBDIR_TWO_SUBDIR), true);
    assertCar(via, "/ipfs/" + SUBDIR_TWO + "/subdir/ascii.txt", "&dag-scope=block", List.of(SUBDIR_TWO, SUBDIR_TWO_SUBDIR, ASCII), true);
    List<String> hamtPath = new ArrayList<>();
    hamtPath.add(HAMT);
    hamtPath.addAll(hamtShardsOnTheWayTo("1.txt"));
    hamtPath.add(MULTIBLOCK);
    assertCar(via, "/ipfs/" + HAMT + "/1.txt", "&dag-scope=block", hamtPath, true);
  }

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void dagScopeEntity(String via) throws Exception {
    assertCar(via, "/ipfs/" + SUBDIR_TWO, "&dag-scope=entity", List.of(SUBDIR_TWO), true);
    List<String> shards = new ArrayList<>();
    shards.add(HAMT);
    shards.addAll(allHamtShards());
    assertCar(via, "/ipfs/" + HAMT, "&dag-scope=entity", shards, true);
    assertCar(via, "/ipfs/" + MIXED + "/subdir/ascii.txt", "&dag-scope=entity", List.of(MIXED, MIXED_SUBDIR, ASCII), true);
    assertCar(via, "/ipfs/" + MIXED + "/subdir/multiblock.txt", "&dag-scope=entity", concat(List.of(MIXED, MIXED_SUBDIR, MULTIBLOCK), MULTIBLOCK_LEAVES), true);
    assertCar(via, "/ipfs/" + CBOR_DIR + "/document", "&dag-scope=entity", List.of(CBOR_DIR, CBOR_DOCUMENT), true);
  }

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void dagScopeAll(String via) throws Exception {
    assertCar(via, "/ipfs/" + MIXED + "/subdir", "&dag-scope=all",
        concat(List.of(MIXED, MIXED_SUBDIR, ASCII, HELLO, MULTIBLOCK), MULTIBLOCK_LEAVES), true);
    assertCar(via, "/ipfs/" + MIXED + "/subdir/multiblock.txt", "&dag-scope=all",
        concat(List.of(MIXED, MIXED_SUBDIR, MULTIBLOCK), MULTIBLOCK_LEAVES), true);
  }

  // --- TestTrustlessCarEntityBytes ----------------------------------------------------------

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void entityBytesAroundAMissingBlock(String via) throws Exception {
    assertCar(via, "/ipfs/" + MISSING_BLOCK_FILE, "&dag-scope=entity&entity-bytes=0:1000",
        List.of(MISSING_BLOCK_FILE, "QmPKt7ptM2ZYSGPUc8PmPT2VBkLDK3iqpG9TBJY7PCE9rF"), false);
    assertCar(via, "/ipfs/" + MISSING_BLOCK_FILE, "&dag-scope=entity&entity-bytes=2200:*",
        List.of(MISSING_BLOCK_FILE, "QmWXY482zQdwecnfBsj78poUUuPXvyw2JAFAEMw4tzTavV"), false);
  }

  @ParameterizedTest(name = "via {0}")
  @ValueSource(strings = {"format", "accept"})
  void entityBytesSelectTheBlocksOfTheRange(String via) throws Exception {
    String file = "/ipfs/" + MULTIBLOCK;
    assertCar(via, "/ipfs/" + MIXED + "/subdir/multiblock.txt", "&dag-scope=entity&entity-bytes=0:*",
        concat(List.of(MIXED, MIXED_SUBDIR, MULTIBLOCK), MULTIBLOCK_LEAVES), true);
    List<String> shards = new ArrayList<>();
    shards.add(HAMT);
    shards.addAll(allHamtShards());
    assertCar(via, "/ipfs/" + HAMT, "&dag-scope=entity&entity-bytes=0:*", shards, true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=512:*", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES.subList(2, 5)), true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=512:1023", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES.subList(2, 4)), true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=512:-256", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES.subList(2, 4)), true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=-5:*", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES.subList(3, 5)), true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=-9999:*", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES), true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=-9999:-3", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES.subList(0, 4)), true);
    assertCar(via, file, "&dag-scope=entity&entity-bytes=0:0", concat(List.of(MULTIBLOCK), MULTIBLOCK_LEAVES.subList(0, 1)), true);
  }

  // --- TestTrustlessCarOrderAndDuplicates / FormatPrecedence ----------------------------------

  @Test
  void dfsOrderWithAndWithoutDuplicates() throws Exception {
    List<String> withDups = concat(List.of(DUPLICATES, ASCII, ASCII, HELLO, MULTIBLOCK), MULTIBLOCK_LEAVES);
    List<String> withoutDups = concat(List.of(DUPLICATES, ASCII, HELLO, MULTIBLOCK), MULTIBLOCK_LEAVES);
    HttpResponse<byte[]> yes = gateway.get("/ipfs/" + DUPLICATES, "Accept", "application/vnd.ipld.car; version=1; order=dfs; dups=y");
    assertCarType(yes, "order=dfs", "dups=y");
    assertEquals(cids(withDups), GatewayHarness.carBlocks(yes.body()));
    HttpResponse<byte[]> no = gateway.get("/ipfs/" + DUPLICATES, "Accept", "application/vnd.ipld.car; version=1; order=dfs; dups=n");
    assertCarType(no, "order=dfs", "dups=n");
    assertEquals(cids(withoutDups), GatewayHarness.carBlocks(no.body()));
    HttpResponse<byte[]> unknown = gateway.get("/ipfs/" + DUPLICATES, "Accept", "application/vnd.ipld.car; version=1; order=unk");
    assertCarType(unknown, "order=");
    assertTrue(GatewayHarness.carBlocks(unknown.body()).containsAll(cids(withoutDups)));
    HttpResponse<byte[]> formatAndAccept = gateway.get("/ipfs/" + DUPLICATES + "?format=car", "Accept", "application/vnd.ipld.car; version=1; order=dfs; dups=y");
    assertCarType(formatAndAccept, "order=dfs", "dups=y");
    assertEquals(cids(withDups), GatewayHarness.carBlocks(formatAndAccept.body()));
    assertCarType(gateway.get("/ipfs/" + DUPLICATES + "?format=car&car-order=dfs", "Accept", "application/vnd.ipld.car; order=unk"), "order=dfs");
    assertCarType(gateway.get("/ipfs/" + DUPLICATES + "?format=car&car-dups=y", "Accept", "application/vnd.ipld.car; dups=n"), "dups=y");
  }

  @Test
  void identityBlocksAreNeverSent() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/bafkqaf3imvwgy3zaneqgc3janfxgy2lomvscay3jmqfa", "Accept", "application/vnd.ipld.car; dups=y");
    assertCarType(response, "dups=y");
    assertEquals(List.of(), GatewayHarness.carBlocks(response.body()));
  }

  @Test
  void formatParameterTakesPrecedenceOverAccept() throws Exception {
    HttpResponse<byte[]> car = gateway.get("/ipfs/" + RAW_BLOCK_DIR + "?format=car", "Accept", "application/vnd.ipld.raw");
    assertEquals(200, car.statusCode());
    assertTrue(header(car, "Content-Type").contains("application/vnd.ipld.car"));
    HttpResponse<byte[]> raw = gateway.get("/ipfs/" + RAW_BLOCK_DIR + "?format=raw", "Accept", "application/vnd.ipld.car");
    assertEquals(200, raw.statusCode());
    assertEquals("application/vnd.ipld.raw", header(raw, "Content-Type"));
  }

  @Test
  void unsupportedCarVariantsAreRefused() throws Exception {
    assertEquals(400, gateway.get("/ipfs/" + DUPLICATES + "?format=car&car-version=2").statusCode());
    assertEquals(400, gateway.get("/ipfs/" + DUPLICATES + "?format=car&dag-scope=everything").statusCode());
    assertEquals(400, gateway.get("/ipfs/" + DUPLICATES + "?format=car&entity-bytes=x:1").statusCode());
  }

  // --- helpers ------------------------------------------------------------------------------

  /**
   * Requests a CAR by {@code ?format=car} or by Accept alone, checks the standard CAR response
   * headers (helpers/car.go carResponseHeaders) and the blocks, exactly, in order or as a set.
   */
  private static void assertCar(String via, String path, String query, List<String> expected, boolean inOrder) throws Exception {
    HttpResponse<byte[]> response = via.equals("format")
        ? gateway.get(path + "?format=car" + query)
        : gateway.get(path + (query.isEmpty() ? "" : "?" + query.substring(1)), "Accept", "application/vnd.ipld.car");
    assertEquals(200, response.statusCode(), () -> path + query + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("nosniff", header(response, "X-Content-Type-Options"));
    assertEquals("none", header(response, "Accept-Ranges"));
    assertTrue(header(response, "Content-Type").contains("application/vnd.ipld.car"));
    assertTrue(header(response, "Content-Disposition").matches("attachment; filename=\".*\\.car\""), header(response, "Content-Disposition"));
    assertTrue(!header(response, "Etag").isEmpty());
    List<Cid> blocks = GatewayHarness.carBlocks(response.body());
    if (inOrder) {
      assertEquals(cids(expected), blocks, path + query);
    } else {
      assertEquals(new HashSet<>(cids(expected)), new HashSet<>(blocks), path + query);
      assertEquals(expected.size(), blocks.size(), path + query);
    }
  }

  private static void assertCarType(HttpResponse<byte[]> response, String... parameters) {
    assertEquals(200, response.statusCode());
    String type = header(response, "Content-Type");
    assertTrue(type.contains("application/vnd.ipld.car"), type);
    for (String parameter : parameters) {
      assertTrue(type.contains(parameter), type + " has " + parameter);
    }
  }

  private static void assertImmutableCaching(String cacheControl) {
    List<String> directives = List.of(cacheControl.replace(" ", "").split(","));
    assertTrue(directives.contains("public") && directives.contains("immutable"), cacheControl);
    Optional<String> maxAge = directives.stream().filter(d -> d.startsWith("max-age=")).findFirst();
    assertTrue(maxAge.isPresent() && Long.parseLong(maxAge.get().substring(8)) >= 29030400, cacheControl);
  }

  static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  /**
   * The HAMT shards between the root and {@code name}'s entry, found by searching the link graph
   * for a link named {@code <2 hex>name}, not by hashing (so the gateway's hashing is checked).
   */
  private static List<String> hamtShardsOnTheWayTo(String name) {
    List<String> path = new ArrayList<>();
    assertTrue(findEntry(Cid.parse(HAMT), name, path), name + " is in the fixture");
    return path.subList(1, path.size());
  }

  private static boolean findEntry(Cid shard, String name, List<String> path) {
    path.add(shard.toString());
    for (PbLink link : PbNode.decode(hamt.bytes(shard)).links()) {
      String linkName = link.nameOrEmpty();
      if (linkName.length() == 2 ? findEntry(link.hash(), name, path) : linkName.substring(2).equals(name)) {
        return true;
      }
    }
    path.remove(path.size() - 1);
    return false;
  }

  /** Every sub-shard of the HAMT, depth-first in link order (the suite's MustGetCidsInHAMT). */
  private static List<String> allHamtShards() {
    List<String> out = new ArrayList<>();
    collectShards(Cid.parse(HAMT), out);
    return out;
  }

  private static void collectShards(Cid shard, List<String> out) {
    for (PbLink link : PbNode.decode(hamt.bytes(shard)).links()) {
      if (link.nameOrEmpty().length() == 2) {
        out.add(link.hash().toString());
        collectShards(link.hash(), out);
      }
    }
  }

  static List<Cid> cids(Collection<String> values) {
    return values.stream().map(Cid::parse).toList();
  }

  @SafeVarargs
  static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> list : lists) {
      out.addAll(list);
    }
    return out;
  }
}
