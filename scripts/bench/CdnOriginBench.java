// The JVM side of scripts/bench/cdn-origin.sh: origin-fetch overhead. Two cdn subsystems in one
// JVM on loopback: the "upstream" holds the files (pinned, unixfs-v1-2025); the "edge" starts empty
// with the upstream as its only cdn.upstreams entry. Per file and round, in alternating order:
//   direct  GET upstream /ipfs/CID                 (what a client would pay without the edge)
//   miss    evict the DAG on the edge, GET edge /ipfs/CID   (edge fetches the CAR, verifies every
//           block, stores it, then serves from its store)
//   hit     GET edge /ipfs/CID again               (the cached answer)
// Every body is read in full and compared by length and SHA-256 with the file. Prints one line per
// file: "NAME BYTES direct_ms miss_ms hit_ms" as medians of ROUNDS.
//   java -cp CP CdnOriginBench DIR ROUNDS FILE...
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.powerverse.cdn.Cdn;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.cdn.Cid;
import org.powerverse.cdn.UnixfsProfile;
import org.powerverse.platform.Job;
import org.powerverse.platform.JobWork;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.NodeIdentity;
import org.powerverse.platform.SubsystemContext;

public class CdnOriginBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
    Cdn.CdnSubsystemHandle upstream = start(vertx, dir.resolve("upstream"), List.of());
    Cdn.CdnSubsystemHandle edge = start(vertx, dir.resolve("edge"), List.of("http://127.0.0.1:" + upstream.gatewayPort()));
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    System.out.println("# name bytes direct_ms miss_ms hit_ms (medians of " + rounds + " rounds)");
    for (int f = 2; f < args.length; f++) {
      Path file = Path.of(args[f]);
      String cid;
      try (InputStream in = Files.newInputStream(file)) {
        cid = upstream.service().addFile(in, UnixfsProfile.UNIXFS_V1_2025, true).cid();
      }
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
      URI direct = URI.create("http://127.0.0.1:" + upstream.gatewayPort() + "/ipfs/" + cid);
      URI viaEdge = URI.create("http://127.0.0.1:" + edge.gatewayPort() + "/ipfs/" + cid);
      for (int w = 0; w < 3; w++) { // warm-up (JIT, connections)
        edge.service().evict(Optional.of(Cid.parse(cid)));
        get(client, viaEdge, expected);
        get(client, direct, expected);
      }
      double[] directMs = new double[rounds];
      double[] missMs = new double[rounds];
      double[] hitMs = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        if (edge.service().evict(Optional.of(Cid.parse(cid))).blocks() == 0) {
          throw new IllegalStateException("the edge had nothing of " + cid + " to evict: the miss would be a hit");
        }
        if (r % 2 == 0) {
          directMs[r] = get(client, direct, expected);
          missMs[r] = get(client, viaEdge, expected);
        } else {
          missMs[r] = get(client, viaEdge, expected);
          directMs[r] = get(client, direct, expected);
        }
        hitMs[r] = get(client, viaEdge, expected);
      }
      System.out.printf("%s %d %.2f %.2f %.2f%n", file.getFileName(), Files.size(file), median(directMs), median(missMs), median(hitMs));
    }
    System.exit(0);
  }

  /** GETs the URI, checks the body, returns the milliseconds to the last byte. */
  static double get(HttpClient client, URI uri, byte[] expectedSha256) throws Exception {
    long start = System.nanoTime();
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    byte[] buffer = new byte[1 << 16];
    try (InputStream body = response.body()) {
      for (int n; (n = body.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    double ms = (System.nanoTime() - start) / 1e6;
    if (response.statusCode() != 200 || !Arrays.equals(sha.digest(), expectedSha256)) {
      throw new IllegalStateException(uri + " answered " + response.statusCode() + " or other bytes");
    }
    return ms;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static Cdn.CdnSubsystemHandle start(Vertx vertx, Path dir, List<String> upstreams) throws Exception {
    NodeIdentity identity = new NodeIdentity() {
      public String nodeId() { return "bench"; }
      public String did() { return "did:pkh:eip155:1:0x0"; }
      public String accountAddress() { return "0x0"; }
      public byte[] ed25519PublicKey() { return new byte[32]; }
      public byte[] signEd25519(byte[] message) { return new byte[64]; }
      public String tlsFingerprint() { return "00"; }
    };
    Jobs jobs = new Jobs() {
      public Job submit(String kind, JobWork work) { throw new IllegalStateException("no jobs in the benchmark"); }
      public Optional<Job> find(String id) { return Optional.empty(); }
      public List<Job> list(int limit) { return List.of(); }
      public Optional<Job> cancel(String id) { return Optional.empty(); }
    };
    Cdn.CdnSubsystemHandle cdn = Cdn.subsystem(new CdnConfig(null, "127.0.0.1", 0, 1L << 30, upstreams, null, null, null, null));
    cdn.start(new SubsystemContext(vertx, dir, Clock.systemUTC(), new SecureRandom(), identity, jobs, new SimpleMeterRegistry()))
        .toCompletionStage().toCompletableFuture().get();
    return cdn;
  }
}
