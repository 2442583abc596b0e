package org.powerverse.cdn.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.CdnService;
import org.powerverse.cdn.CdnStats;
import org.powerverse.cdn.Pin;
import org.powerverse.cdn.UnixfsProfile;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.FieldError;

/** The content cache's operations over the blockstore and the origin fetcher. */
final class DefaultCdnService implements CdnService {

  private final LmdbBlockstore store;
  private final OriginFetcher origin;

  /** {@code origin} is null when no upstream is configured. */
  DefaultCdnService(LmdbBlockstore store, OriginFetcher origin) {
    this.store = Objects.requireNonNull(store, "store");
    this.origin = origin;
  }

  @Override
  public Added addFile(InputStream content, UnixfsProfile profile, boolean pin) throws IOException {
    try (LmdbBlockstore.ImportSession session = store.importSession()) {
      UnixfsImporter.Result result = UnixfsImporter.importFile(content, profile, session);
      session.finish(pin ? List.of(result.root()) : List.of());
      return new Added(result.root().toString(), profile.profileName(), result.fileSize(), result.blocks(), pin);
    }
  }

  @Override
  public Imported importCar(InputStream car, boolean pin) throws IOException {
    try (LmdbBlockstore.ImportSession session = store.importSession()) {
      List<Cid> roots;
      try (CarReader reader = CarReader.open(car)) {
        roots = reader.roots();
        CarReader.Section section;
        while ((section = reader.next()) != null) {
          session.put(section.block());
        }
      } catch (IOException e) {
        throw ApiProblem.unprocessable("the CAR is invalid: " + e.getMessage(), List.of());
      }
      long[] seen = session.seen();
      try {
        session.finish(pin ? roots : List.of());
      } catch (MissingBlockException e) {
        throw ApiProblem.unprocessable("cannot pin the CAR's roots: it lacks block " + e.cid(), List.of());
      }
      return new Imported(roots.stream().map(Cid::toString).toList(), seen[0], seen[1], pin);
    }
  }

  @Override
  public Pin pin(Cid root) {
    for (int fetches = 0; ; fetches++) {
      try (LmdbBlockstore.Snapshot snapshot = store.snapshot()) {
        return store.pin(root, snapshot);
      } catch (MissingBlockException e) {
        if (origin == null) {
          throw ApiProblem.unprocessable("block " + e.cid() + " of " + root + " is not stored and no upstream is configured",
              List.of(FieldError.body("cid", "the DAG is incomplete here")));
        }
        if (fetches > GatewayServer.MAX_BLOCK_FETCHES) {
          throw ApiProblem.unavailable("gave up fetching " + root + " after " + fetches + " fetches; still missing " + e.cid());
        }
        fetch(root, e.cid(), fetches == 0);
      } catch (IllegalArgumentException e) {
        throw ApiProblem.unprocessable("the DAG under " + root + " is invalid: " + e.getMessage(), List.of());
      }
    }
  }

  /** The whole DAG as one CAR the first time, single missing blocks after that (or when the CAR fails). */
  private void fetch(Cid root, Cid missing, boolean wholeDag) {
    if (wholeDag) {
      try {
        origin.fetchCar("/ipfs/" + root + "?format=car&dag-scope=all");
        return;
      } catch (OriginFetcher.OriginException e) {
        // Fall back to the missing block alone.
      }
    }
    try {
      origin.fetchBlock(missing);
    } catch (OriginFetcher.OriginException e) {
      throw ApiProblem.unavailable("cannot fetch " + missing + " from the upstreams: " + e.getMessage());
    }
  }

  @Override
  public boolean unpin(Cid root) {
    return store.unpin(root);
  }

  @Override
  public Optional<Pin> findPin(Cid root) {
    return store.findPin(root);
  }

  @Override
  public List<Pin> pins() {
    return new ArrayList<>(store.pins());
  }

  @Override
  public CdnStats stats() {
    long[] c = store.counters();
    long lookups = c[3] + c[4];
    return new CdnStats(store.maxBytes(), c[0], c[1], c[2], store.pinCount(), c[3], c[4],
        lookups == 0 ? 0 : (double) c[3] / lookups, c[5], c[6],
        origin == null ? 0 : origin.fetchedBlocks(), origin == null ? 0 : origin.failures());
  }

  @Override
  public Evicted evict(Optional<Cid> root) {
    long[] removed = store.evict(root.orElse(null));
    return new Evicted(removed[0], removed[1]);
  }
}
