package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.powerverse.cdn.internal.TrustlessGatewayConformanceTest.header;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ipfs/gateway-conformance's path gateway UnixFS tests (tests/path_gateway_unixfs_test.go at
 * 22c76440: TestGatewayCache, TestGatewaySymlink, TestGatewayUnixFSFileRanges,
 * TestPathGatewayMiscellaneous, and the parts of TestUnixFSDirectoryListing that do not need its
 * dir_listing fixture), over real HTTP on loopback.
 */
@Tag("integration")
class PathGatewayConformanceTest {

  static final String CACHE_ROOT = "bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui";
  static final String ROOT2 = "bafybeih2w7hjocxjg6g2ku25hvmd53zj7og4txpby3vsusfefw5rrg5sii";
  static final String ROOT3 = "bafybeiawdvhmjcz65x5egzx4iukxc72hg4woks6v6fvgyupiyt3oczk5ja";
  static final String ROOT4 = "bafybeifq2rzpqnqrsdupncmkmhs3ckxxjhuvdcbvydkgvch3ms24k5lo7q";
  static final String INDEX = "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am";
  static final String SYMLINK_DIR = "QmWvY6FaqFMS89YAQ9NAPjVP4WZKA1qbHbicc9HeSKQTgt";
  static final String FILES = "bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy";
  static final String MISSING_BLOCK_FILE = "QmYhmPjhFjYFyaoiuNzYv8WGavpSRDwdHWe5B4M5du5Rtk";
  static final String PERCENT_DIR = "bafybeig675grnxcmshiuzdaz2xalm6ef4thxxds6o6ypakpghm5kghpc34";

  @TempDir
  static Path dir;
  static GatewayHarness gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = GatewayHarness.start(dir, "gateway-cache/fixtures.car", "path_gateway_unixfs/symlink.car",
        "path_gateway_unixfs/dir-with-files.car", "path_gateway_unixfs/dir-with-percent-encoded-filename.car",
        "trustless_gateway_car/file-3k-and-3-blocks-missing-block.car");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  // --- TestGatewayCache -----------------------------------------------------------------------

  @Test
  void directoryListingHeaders() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/");
    assertEquals(200, response.statusCode());
    assertEquals("/ipfs/" + CACHE_ROOT + "/root2/root3/", header(response, "X-Ipfs-Path"));
    assertEquals(CACHE_ROOT + "," + ROOT2 + "," + ROOT3, header(response, "X-Ipfs-Roots"));
    assertTrue(header(response, "Etag").matches("\"DirIndex-.*_CID-" + ROOT3 + "\""), header(response, "Etag"));
    String cacheControl = header(response, "Cache-Control");
    assertTrue(cacheControl.isEmpty() || cacheControl.equals("public, max-age=604800, stale-while-revalidate=2678400"), cacheControl);
    String html = new String(response.body(), StandardCharsets.UTF_8);
    assertTrue(html.contains("Index of"));
    assertTrue(html.contains("<a href=\"/ipfs/" + CACHE_ROOT + "/root2/root3/..\">..</a>"), "backlink to the parent");
    assertTrue(html.contains("<a href=\"/ipfs/" + CACHE_ROOT + "/root2/root3/root4\">root4</a>"), html);
  }

  @Test
  void directoryWithIndexHtmlServesIt() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/");
    assertEquals(200, response.statusCode());
    assertEquals("public, max-age=29030400, immutable", header(response, "Cache-Control"));
    assertEquals("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/", header(response, "X-Ipfs-Path"));
    assertEquals(String.join(",", CACHE_ROOT, ROOT2, ROOT3, ROOT4), header(response, "X-Ipfs-Roots"));
    assertEquals("\"" + ROOT4 + "\"", header(response, "Etag"));
    assertTrue(header(response, "Content-Type").startsWith("text/html"));
    assertEquals("hello\n", new String(response.body(), StandardCharsets.UTF_8));
  }

  @Test
  void fileHeaders() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/index.html");
    assertEquals(200, response.statusCode());
    assertEquals("public, max-age=29030400, immutable", header(response, "Cache-Control"));
    assertEquals("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/index.html", header(response, "X-Ipfs-Path"));
    assertEquals(String.join(",", CACHE_ROOT, ROOT2, ROOT3, ROOT4, INDEX), header(response, "X-Ipfs-Roots"));
    assertEquals("\"" + INDEX + "\"", header(response, "Etag"));
  }

  @Test
  void directoryAsRawBlock() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/?format=raw");
    assertEquals(200, response.statusCode());
    assertEquals("public, max-age=29030400, immutable", header(response, "Cache-Control"));
    // The bytes as the upstream test lists them.
    assertArrayEquals(HexFormat.of().parseHex("12340a2401551220" + "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
        + "120a696e6465782e68746d6c1806" + "0a020801"), response.body());
  }

  @Test
  void onlyIfCachedAnswers412WhenNotStored() throws Exception {
    String cached = "/ipfs/" + CACHE_ROOT + "/root2/root3/root4/?format=raw";
    String absent = "/ipfs/QmYzfKSE55XCjD1MW128RfciAf2DViABhEiXfgVFMabSjN";
    assertEquals(200, gateway.head(cached, "Cache-Control", "only-if-cached").statusCode());
    assertEquals(200, gateway.get(cached, "Cache-Control", "only-if-cached").statusCode());
    assertEquals(412, gateway.head(absent, "Cache-Control", "only-if-cached").statusCode());
    assertEquals(412, gateway.get(absent, "Cache-Control", "only-if-cached").statusCode());
  }

  @ParameterizedTest(name = "If-None-Match: {0}")
  @ValueSource(strings = {"\"" + INDEX + "\"", "\"fakeEtag1\", \"fakeEtag2\", \"" + INDEX + "\"", "W/\"" + INDEX + "\"", "*"})
  void matchingEtagIsNotModified(String ifNoneMatch) throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/index.html", "If-None-Match", ifNoneMatch);
    assertEquals(304, response.statusCode());
    assertEquals(0, response.body().length);
  }

  @Test
  void directoryEtagsAreNotModifiedToo() throws Exception {
    assertEquals(304, gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/root4/", "If-None-Match", "\"" + ROOT4 + "\"").statusCode());
    String listingEtag = header(gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/"), "Etag");
    assertEquals(304, gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/", "If-None-Match", listingEtag).statusCode());
    assertEquals(304, gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/", "If-None-Match", "W/" + listingEtag).statusCode());
    assertEquals(200, gateway.get("/ipfs/" + CACHE_ROOT + "/root2/root3/", "If-None-Match", "\"other\"").statusCode());
  }

  // --- TestUnixFSDirectoryListing (the parts its fixture is not needed for) --------------------

  @Test
  void directoryWithoutTrailingSlashRedirects() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + CACHE_ROOT + "/root2?filename=x");
    assertEquals(301, response.statusCode());
    assertEquals("/ipfs/" + CACHE_ROOT + "/root2/?filename=x", header(response, "Location"));
    assertEquals(404, gateway.get("/ipfs/" + CACHE_ROOT + "/i-do-not-exist").statusCode());
  }

  // --- TestGatewaySymlink -----------------------------------------------------------------------

  @Test
  void symlinks() throws Exception {
    String listing = new String(gateway.get("/ipfs/" + SYMLINK_DIR + "/").body(), StandardCharsets.UTF_8);
    assertTrue(listing.contains(">foo<") && listing.contains(">bar<"), listing);
    HttpResponse<byte[]> raw = gateway.get("/ipfs/" + SYMLINK_DIR + "?format=raw");
    assertEquals(200, raw.statusCode());
    assertArrayEquals(gateway.store.getCopy(org.powerverse.cdn.Cid.parse(SYMLINK_DIR)).orElseThrow(), raw.body());
    HttpResponse<byte[]> link = gateway.get("/ipfs/" + SYMLINK_DIR + "/bar");
    assertEquals(200, link.statusCode());
    assertEquals("foo", new String(link.body(), StandardCharsets.UTF_8));
  }

  // --- TestGatewayUnixFSFileRanges ----------------------------------------------------------

  @Test
  void fileRanges() throws Exception {
    String ascii = "/ipfs/" + FILES + "/ascii.txt";
    HttpResponse<byte[]> whole = gateway.get(ascii);
    assertEquals(200, whole.statusCode());
    assertEquals("bytes", header(whole, "Accept-Ranges"));
    assertEquals("hello application/vnd.ipld.car\n", new String(whole.body(), StandardCharsets.UTF_8));
    assertEquals("text/plain; charset=utf-8", header(whole, "Content-Type"));

    HttpResponse<byte[]> single = gateway.get(ascii, "Range", "bytes=6-16");
    assertEquals(206, single.statusCode());
    assertEquals("bytes 6-16/31", header(single, "Content-Range"));
    assertEquals("application", new String(single.body(), StandardCharsets.UTF_8));

    HttpResponse<byte[]> suffix = gateway.get(ascii, "Range", "bytes=-3");
    assertEquals(206, suffix.statusCode());
    assertEquals("bytes 28-30/31", header(suffix, "Content-Range"));
    assertEquals("ar\n", new String(suffix.body(), StandardCharsets.UTF_8));

    HttpResponse<byte[]> multi = gateway.get(ascii, "Range", "bytes=6-16,0-4");
    assertEquals(206, multi.statusCode());
    assertTrue(header(multi, "Content-Type").contains("multipart/byteranges"));
    String body = new String(multi.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("Content-Range: bytes 6-16/31") && body.contains("application"), body);
    assertTrue(body.contains("Content-Range: bytes 0-4/31") && body.contains("hello"), body);
    assertEquals(Long.parseLong(header(multi, "Content-Length")), multi.body().length);

    HttpResponse<byte[]> unsatisfiable = gateway.get(ascii, "Range", "bytes=100-200");
    assertEquals(416, unsatisfiable.statusCode());
    assertEquals("bytes */31", header(unsatisfiable, "Content-Range"));
  }

  @Test
  void rangesReadAroundAMissingBlock() throws Exception {
    HttpResponse<byte[]> after = gateway.get("/ipfs/" + MISSING_BLOCK_FILE, "Range", "bytes=997-1000");
    assertEquals(206, after.statusCode());
    assertEquals("bytes 997-1000/3072", header(after, "Content-Range"));
    assertEquals(4, after.body().length);
    HttpResponse<byte[]> before = gateway.get("/ipfs/" + MISSING_BLOCK_FILE, "Range", "bytes=2200-2201");
    assertEquals(206, before.statusCode());
    assertEquals("bytes 2200-2201/3072", header(before, "Content-Range"));
    // The middle block is absent and there is no upstream: this gateway is non-recursive.
    assertEquals(404, gateway.get("/ipfs/" + MISSING_BLOCK_FILE, "Range", "bytes=1500-1501").statusCode());
  }

  @Test
  void multiBlockFileStreamsWhole() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + FILES + "/multiblock.txt");
    assertEquals(200, response.statusCode());
    assertEquals(1026, response.body().length);
    assertEquals("1026", header(response, "Content-Length"));
    HttpResponse<byte[]> head = gateway.head("/ipfs/" + FILES + "/multiblock.txt");
    assertEquals(200, head.statusCode());
    assertEquals("1026", header(head, "Content-Length"));
    assertEquals(0, head.body().length);
  }

  // --- TestPathGatewayMiscellaneous -------------------------------------------------------------

  @Test
  void percentEncodedFilenames() throws Exception {
    HttpResponse<byte[]> response = gateway.get("/ipfs/" + PERCENT_DIR + "/Portugal%252C+Espa%C3%B1a=Peninsula%20Ib%C3%A9rica.txt");
    assertEquals(200, response.statusCode());
    assertArrayEquals(gateway.store.getCopy(org.powerverse.cdn.Cid.parse("bafkreihfmctcb2kuvoljqeuphqr2fg2r45vz5cxgq5c2yrxnqg5erbitmq")).orElseThrow(),
        response.body());
  }

  @Test
  void downloadAndFilenameSetContentDisposition() throws Exception {
    HttpResponse<byte[]> inline = gateway.get("/ipfs/" + FILES + "/hello.txt?filename=test%D1%82%D0%B5%D1%81%D1%82.txt");
    assertEquals("inline; filename=\"test____.txt\"; filename*=UTF-8''test%D1%82%D0%B5%D1%81%D1%82.txt", header(inline, "Content-Disposition"));
    HttpResponse<byte[]> attachment = gateway.get("/ipfs/" + FILES + "/hello.txt?filename=hello.txt&download=true");
    assertEquals("attachment; filename=\"hello.txt\"", header(attachment, "Content-Disposition"));
  }

  @Test
  void otherMethodsAndNamespaces() throws Exception {
    HttpResponse<byte[]> post = gateway.send("POST", "/ipfs/" + FILES + "/hello.txt");
    assertEquals(405, post.statusCode());
    assertEquals("GET, HEAD", header(post, "Allow"));
    assertEquals(501, gateway.get("/ipns/en.wikipedia-on-ipfs.org/").statusCode());
    assertEquals(400, gateway.get("/ipfs/" + FILES, "Service-Worker", "script").statusCode());
  }
}
