package org.powerverse.cdn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.cdn.CdnService;
import org.powerverse.cdn.CdnStats;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.TestData;
import org.powerverse.cdn.UnixfsProfile;
import org.powerverse.platform.ApiProblem;

/** The operations behind /api/v1/cdn, on a real blockstore. */
class CdnServiceTest {

  @TempDir
  Path dir;

  private LmdbBlockstore store(long maxBytes) {
    return LmdbBlockstore.open(dir.resolve("blocks-" + maxBytes), maxBytes, Clock.systemUTC());
  }

  @Test
  void addedFilesGetTheProfileCidAndArePinned() throws IOException {
    byte[] content = new byte[3 * 1024 * 1024 + 7];
    new Random(1).nextBytes(content);
    try (LmdbBlockstore store = store(64L << 20)) {
      CdnService service = new DefaultCdnService(store, null);
      for (UnixfsProfile profile : UnixfsProfile.values()) {
        CdnService.Added added = service.addFile(new ByteArrayInputStream(content), profile, true);
        Cid expected = UnixfsImporter.importFile(new ByteArrayInputStream(content), profile, BlockSink.DISCARD).root();
        assertEquals(expected.toString(), added.cid());
        assertEquals(content.length, added.size());
        assertTrue(service.findPin(expected).isPresent());
        DagReader reader = new DagReader(store.snapshot());
        assertArrayEquals(content, UnixfsImporterTest.read(reader, expected));
      }
      CdnStats stats = service.stats();
      assertEquals(2, stats.pins());
      assertEquals(stats.bytesUsed(), stats.pinnedBytes());
    }
  }

  @Test
  void anAddLargerThanTheBoundSurvivesWhenPinned() throws IOException {
    // 12 MiB into an 8 MiB cache: the import is held out of the policy until it is pinned.
    byte[] content = new byte[12 << 20];
    new Random(2).nextBytes(content);
    try (LmdbBlockstore store = store(8L << 20)) {
      CdnService service = new DefaultCdnService(store, null);
      CdnService.Added added = service.addFile(new ByteArrayInputStream(content), UnixfsProfile.UNIXFS_V1_2025, true);
      assertArrayEquals(content, UnixfsImporterTest.read(new DagReader(store.snapshot()), Cid.parse(added.cid())));
      assertTrue(service.unpin(Cid.parse(added.cid())));
      assertTrue(service.stats().bytesUsed() <= 8L << 20, "unpinned, the bound applies again");
    }
  }

  @Test
  void importsAConformanceCarAndPinsItsRoot() throws IOException {
    try (LmdbBlockstore store = store(64L << 20)) {
      CdnService service = new DefaultCdnService(store, null);
      Path car = TestData.conformanceFixture("trustless_gateway_car/single-layer-hamt-with-multi-block-files.car");
      CdnService.Imported imported = service.importCar(Files.newInputStream(car), true);
      assertEquals(List.of(TrustlessGatewayConformanceTest.HAMT), imported.roots());
      assertEquals(243, imported.blocks());
      assertTrue(imported.bytes() > 0 && imported.bytes() < Files.size(car));
      assertEquals(1, service.pins().size());
      assertEquals(243, service.pins().get(0).blocks());
      CdnService.Evicted evicted = service.evict(Optional.empty());
      assertEquals(0, evicted.blocks(), "everything imported is pinned");
    }
  }

  @Test
  void aCarWithABadBlockIsRefusedAndLeavesNothing() throws IOException {
    byte[] car = Files.readAllBytes(TestData.conformanceFixture("trustless_gateway_car/subdir-with-two-single-block-files.car"));
    car[car.length - 1] ^= 1;
    try (LmdbBlockstore store = store(64L << 20)) {
      CdnService service = new DefaultCdnService(store, null);
      ApiProblem problem = assertThrows(ApiProblem.class, () -> service.importCar(new ByteArrayInputStream(car), true));
      assertEquals(422, problem.problem().status());
      assertEquals(0, service.stats().blocks());
    }
  }

  @Test
  void aCarWithoutItsRootCannotBePinned() throws IOException {
    try (LmdbBlockstore store = store(64L << 20)) {
      CdnService service = new DefaultCdnService(store, null);
      Path car = TestData.conformanceFixture("trustless_gateway_car/file-3k-and-3-blocks-missing-block.car");
      ApiProblem problem = assertThrows(ApiProblem.class, () -> service.importCar(Files.newInputStream(car), true));
      assertTrue(problem.getMessage().contains("QmSNLTo6Wv9dfroVaw7MFYjLqf9ho7PKrgsjdzYDtv8h1W"), problem.getMessage());
      assertEquals(0, service.pins().size());
      assertEquals(3, service.stats().blocks(), "the root and the two blocks it has stay, verified and unpinned");
    }
  }

  @Test
  void pinningFetchesWhatIsMissingFromTheUpstream() throws Exception {
    try (GatewayHarness upstream = GatewayHarness.start(dir.resolve("upstream"), "trustless_gateway_car/subdir-with-mixed-block-files.car");
         LmdbBlockstore store = store(64L << 20);
         OriginFetcher origin = new OriginFetcher(List.of(upstream.uri("")), Duration.ofSeconds(10), store)) {
      CdnService service = new DefaultCdnService(store, origin);
      Cid root = Cid.parse(TrustlessGatewayConformanceTest.MIXED);
      assertEquals(10, service.pin(root).blocks());
      assertEquals(10, service.stats().blocks());
      assertTrue(service.stats().originFetches() >= 10);
      assertTrue(service.unpin(root));
      assertFalse(service.unpin(root));
    }
  }

  @Test
  void pinningWithoutUpstreamsNamesTheMissingBlock() {
    try (LmdbBlockstore store = store(64L << 20)) {
      CdnService service = new DefaultCdnService(store, null);
      ApiProblem problem = assertThrows(ApiProblem.class, () -> service.pin(Cid.parse(TrustlessGatewayConformanceTest.MIXED)));
      assertEquals(422, problem.problem().status());
      assertTrue(problem.getMessage().contains(TrustlessGatewayConformanceTest.MIXED));
    }
  }
}
