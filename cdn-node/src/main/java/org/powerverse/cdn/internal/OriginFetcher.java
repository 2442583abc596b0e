package org.powerverse.cdn.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.powerverse.cdn.Block;
import org.powerverse.cdn.Cid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches what the blockstore lacks from upstream trustless gateways (trustless gateway spec):
 * single blocks as {@code application/vnd.ipld.raw}, whole requests as
 * {@code application/vnd.ipld.car}. Every block is hashed against its CID before it is stored
 * (trustless gateway spec, "HTTP Clients": MUST validate before storing); a response carrying any
 * block that does not match is dropped whole and counts as that upstream failing, and the next
 * upstream is tried. Concurrent requests for the same thing share one fetch. Blocking: call it on
 * a virtual thread.
 */
public final class OriginFetcher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(OriginFetcher.class);
  /** A CAR's verified blocks are buffered up to this many bytes before a batch is stored. */
  static final long CAR_BATCH_BYTES = 64L << 20;

  /** Why an origin fetch failed, in the terms of the path gateway spec's status codes. */
  public enum Failure {
    /** Every upstream said the content does not exist (404/410). */
    NOT_FOUND,
    /** An upstream failed, lied or was unreachable, and none succeeded (502). */
    BAD_GATEWAY,
    /** The fetch did not finish in time (504). */
    TIMEOUT
  }

  /** An origin fetch that did not produce the content. */
  public static final class OriginException extends RuntimeException {
    private final Failure failure;

    public OriginException(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  private final List<URI> upstreams;
  private final Duration timeout;
  private final LmdbBlockstore store;
  private final HttpClient client;
  private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "cdn-origin-deadlines");
    thread.setDaemon(true);
    return thread;
  });
  private final ConcurrentHashMap<String, CompletableFuture<Void>> inflight = new ConcurrentHashMap<>();
  private final AtomicLong fetchedBlocks = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();

  public OriginFetcher(List<URI> upstreams, Duration timeout, LmdbBlockstore store) {
    if (upstreams.isEmpty()) {
      throw new IllegalArgumentException("an origin fetcher needs at least one upstream");
    }
    this.upstreams = List.copyOf(upstreams);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.store = Objects.requireNonNull(store, "store");
    this.client = HttpClient.newBuilder()
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(fetchers)
        .build();
  }

  /** Blocks fetched and stored since start. */
  public long fetchedBlocks() {
    return fetchedBlocks.get();
  }

  /** Upstream requests that failed or returned data that did not verify. */
  public long failures() {
    return failures.get();
  }

  /** Requests sent to upstreams. */
  public long requests() {
    return requests.get();
  }

  /** Fetches one block and stores it. */
  public void fetchBlock(Cid cid) {
    shared("block " + cid.toV1(), () -> fromAny("/ipfs/" + cid + "?format=raw", "application/vnd.ipld.raw", in -> {
      byte[] data = in.readNBytes(CarReader.MAX_SECTION_BYTES + 1);
      if (data.length > CarReader.MAX_SECTION_BYTES) {
        throw new IOException("block larger than " + CarReader.MAX_SECTION_BYTES + " bytes");
      }
      if (!cid.multihash().matches(data)) {
        throw new Block.BlockMismatchException(cid, data.length);
      }
      store.put(cid, java.nio.ByteBuffer.wrap(data));
      fetchedBlocks.incrementAndGet();
    }));
  }

  /**
   * Fetches a CAR for {@code pathAndQuery} (a gateway path such as
   * {@code /ipfs/{cid}/a?format=car&dag-scope=entity}) and stores its blocks.
   */
  public void fetchCar(String pathAndQuery) {
    shared("car " + pathAndQuery, () -> fromAny(pathAndQuery, "application/vnd.ipld.car; version=1; order=dfs; dups=n", in -> {
      List<Block> batch = new ArrayList<>();
      long batchBytes = 0;
      try (CarReader reader = CarReader.open(in)) {
        CarReader.Section section;
        while ((section = reader.next()) != null) { // next() verifies each block against its CID
          batch.add(section.block());
          batchBytes += section.block().data().length;
          if (batchBytes >= CAR_BATCH_BYTES) {
            store.putAll(batch);
            fetchedBlocks.addAndGet(batch.size());
            batch = new ArrayList<>();
            batchBytes = 0;
          }
        }
      }
      store.putAll(batch);
      fetchedBlocks.addAndGet(batch.size());
    }));
  }

  @FunctionalInterface
  private interface BodyReader {
    void read(InputStream body) throws IOException;
  }

  /** Tries each upstream in turn until one answers 200 with a body that reads and verifies. */
  private void fromAny(String pathAndQuery, String accept, BodyReader reader) {
    int notFound = 0;
    int timedOut = 0;
    StringBuilder reasons = new StringBuilder();
    for (URI upstream : upstreams) {
      URI uri = URI.create(upstream.toString() + pathAndQuery);
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET().build();
      requests.incrementAndGet();
      AtomicBoolean expired = new AtomicBoolean();
      try {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          if (response.statusCode() == 404 || response.statusCode() == 410) {
            notFound++;
            reasons.append("; ").append(upstream).append(": ").append(response.statusCode());
            continue;
          }
          if (response.statusCode() != 200) {
            failures.incrementAndGet();
            reasons.append("; ").append(upstream).append(": status ").append(response.statusCode());
            continue;
          }
          // The request timeout covers the wait for headers; this bounds the body.
          ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            closeQuietly(body);
          }, timeout.toMillis(), TimeUnit.MILLISECONDS);
          try {
            reader.read(body);
          } finally {
            deadline.cancel(false);
          }
          return;
        }
      } catch (IOException | IllegalArgumentException e) {
        // IllegalArgumentException: a block that did not match its CID (the upstream lied).
        failures.incrementAndGet();
        if (e instanceof HttpTimeoutException || expired.get()) {
          timedOut++;
        }
        reasons.append("; ").append(upstream).append(": ").append(expired.get() ? "timed out reading the body" : e.toString());
        LOG.warn("origin fetch of {} from {} failed: {}", pathAndQuery, upstream, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OriginException(Failure.TIMEOUT, "interrupted fetching " + pathAndQuery);
      }
    }
    Failure failure = notFound == upstreams.size() ? Failure.NOT_FOUND
        : timedOut == upstreams.size() ? Failure.TIMEOUT : Failure.BAD_GATEWAY;
    throw new OriginException(failure, "no upstream delivered " + pathAndQuery + reasons);
  }

  /** Runs {@code work} once for everyone asking for {@code key} at the same time; waits for it. */
  private void shared(String key, Runnable work) {
    CompletableFuture<Void> mine = new CompletableFuture<>();
    CompletableFuture<Void> running = inflight.putIfAbsent(key, mine);
    waiting.incrementAndGet();
    if (running == null) {
      running = mine;
      fetchers.execute(() -> {
        try {
          work.run();
          mine.complete(null);
        } catch (Throwable t) {
          mine.completeExceptionally(t);
        } finally {
          inflight.remove(key, mine);
        }
      });
    }
    try {
      running.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new OriginException(Failure.TIMEOUT, "fetching " + key + " took longer than " + timeout.multipliedBy(2).plusSeconds(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OriginException(Failure.TIMEOUT, "interrupted fetching " + key);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new OriginException(Failure.BAD_GATEWAY, "fetching " + key + " failed: " + e.getCause());
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** Callers waiting on fetches now (tests use it to see requests coalesce). */
  int waiting() {
    return waiting.get();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // The deadline passed; the reader sees the closed stream.
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    fetchers.shutdownNow();
    client.close();
  }
}
