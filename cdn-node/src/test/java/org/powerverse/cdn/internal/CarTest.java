package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.TestData;

/** The IPLD CAR spec fixtures (v1 and v2), the gateway-conformance CARs, and our writer read back. */
class CarTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"carv1-basic, 1", "carv2-basic, 2"})
  void readsSpecFixturesAtTheirDescribedOffsets(String name, int version) throws IOException {
    JsonNode described = new ObjectMapper().readTree(TestData.resource("vectors/car/" + name + ".json"));
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(TestData.resource("vectors/car/" + name + ".car")))) {
      assertEquals(version, reader.version());
      JsonNode header = described.get("header");
      JsonNode roots = header.has("roots") ? header.get("roots") : header.get("header").get("roots");
      List<Cid> expectedRoots = new ArrayList<>();
      roots.forEach(root -> expectedRoots.add(Cid.parse(root.get("/").asText())));
      assertEquals(expectedRoots, reader.roots());
      for (JsonNode block : described.get("blocks")) {
        CarReader.Section section = reader.next();
        assertEquals(Cid.parse(block.get("cid").get("/").asText()), section.block().cid());
        assertEquals(block.get("blockOffset").asLong(), section.dataOffset());
        assertEquals(block.get("blockLength").asInt(), section.block().data().length);
      }
      assertNull(reader.next(), "no sections beyond those described (a CARv2 index is not a section)");
    }
  }

  /** Root CIDs and block counts as listed in testdata/ipfs-gateway-conformance/README.md. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "trustless_gateway_car/subdir-with-two-single-block-files.car, bafybeietjm63oynimmv5yyqay33nui4y4wx6u3peezwetxgiwvfmelutzu, 4",
      "trustless_gateway_car/single-layer-hamt-with-multi-block-files.car, bafybeidbclfqleg2uojchspzd4bob56dqetqjsj27gy2cq3klkkgxtpn4i, 243",
      "trustless_gateway_car/subdir-with-mixed-block-files.car, bafybeidh6k2vzukelqtrjsmd4p52cpmltd2ufqrdtdg6yigi73in672fwu, 10",
      "trustless_gateway_car/dir-with-dag-cbor-with-links.car, bafybeia264q44a3kmfc2otctzu4egp2k235o3t7mslz2yjraymp4nv6asi, 9",
      "trustless_gateway_car/file-3k-and-3-blocks-missing-block.car, QmYhmPjhFjYFyaoiuNzYv8WGavpSRDwdHWe5B4M5du5Rtk, 3",
      "trustless_gateway_car/dir-with-duplicate-files.car, bafybeihchr7vmgjaasntayyatmp5sv6xza57iy2h4xj7g46bpjij6yhrmy, 9",
      "path_gateway_unixfs/symlink.car, QmWvY6FaqFMS89YAQ9NAPjVP4WZKA1qbHbicc9HeSKQTgt, 3",
      "path_gateway_unixfs/dir-with-percent-encoded-filename.car, bafybeig675grnxcmshiuzdaz2xalm6ef4thxxds6o6ypakpghm5kghpc34, 2",
      "gateway-raw-block.car, bafybeie72edlprgtlwwctzljf6gkn2wnlrddqjbkxo3jomh4n7omwblxly, 3",
      "gateway-cache/fixtures.car, bafybeib3ffl2teiqdncv3mkz4r23b5ctrwkzrrhctdbne6iboayxuxk5ui, 5"})
  void readsAndVerifiesConformanceFixtures(String file, String root, int blocks) throws IOException {
    try (CarIndex car = CarIndex.open(TestData.conformanceFixture(file))) {
      assertEquals(List.of(Cid.parse(root)), car.roots());
      assertEquals(blocks, car.blocks());
      assertTrue(car.get(Cid.parse(root)).isPresent());
    }
  }

  @Test
  void writtenCarReadsBackWithItsRootsAndBlocks() throws IOException {
    MemoryBlocks source = MemoryBlocks.fromCar(TestData.conformanceFixture("trustless_gateway_car/subdir-with-mixed-block-files.car"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CarWriter writer = new CarWriter(bytes, source.roots());
    List<Cid> written = new ArrayList<>();
    DagReader reader = new DagReader(source);
    reader.walk(reader.node(source.root()), DagReader.Scope.ALL, null, node -> {
      try {
        writer.put(node.cid(), node.block());
        written.add(node.cid());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertEquals(bytes.size(), writer.bytesWritten());
    try (CarReader back = CarReader.open(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(source.roots(), back.roots());
      for (Cid cid : written) {
        CarReader.Section section = back.next();
        assertEquals(cid, section.block().cid());
        assertArrayEquals(source.bytes(cid), section.block().data());
      }
      assertNull(back.next());
    }
  }

  @Test
  void headerMatchesTheSpecFixtureEncoding() throws IOException {
    // carv1-basic's header is the canonical DAG-CBOR {roots, version}: our encoder must produce the same bytes.
    byte[] fixture = TestData.resource("vectors/car/carv1-basic.car");
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(fixture))) {
      byte[] header = CarWriter.header(reader.roots());
      assertArrayEquals(java.util.Arrays.copyOf(fixture, header.length), header);
    }
  }

  @Test
  void rejectsABlockThatDoesNotMatchItsCid() throws IOException {
    Cid cid = Cid.rawSha256(new byte[] {1, 2, 3});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CarWriter writer = new CarWriter(bytes, List.of(cid));
    writer.put(cid, ByteBuffer.wrap(new byte[] {1, 2, 4}));
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(bytes.toByteArray()))) {
      IOException e = assertThrows(IOException.class, reader::next);
      assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    }
  }

  @Test
  void rejectsTruncatedCarsAndBadHeaders() throws IOException {
    byte[] fixture = TestData.resource("vectors/car/carv1-basic.car");
    try (CarReader reader = CarReader.open(new ByteArrayInputStream(java.util.Arrays.copyOf(fixture, fixture.length - 3)))) {
      assertThrows(IOException.class, () -> {
        while (reader.next() != null) {
          // read to the truncated end
        }
      });
    }
    assertThrows(IOException.class, () -> CarReader.open(new ByteArrayInputStream(new byte[0])));
    assertThrows(IOException.class, () -> CarReader.open(new ByteArrayInputStream(new byte[] {2, (byte) 0xa0, 0})));
  }
}
