// The gateway side of scripts/bench/cdn-gateway.sh: starts the cdn subsystem (blockstore in DIR,
// gateway on 127.0.0.1:PORT, no upstreams), adds each FILE through the service (pinned, profile
// unixfs-v1-2025) and prints "cid NAME CID" per file, then "listening PORT". Runs until killed.
//   java -cp CP CdnGatewayBench DIR PORT FILE...
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.powerverse.cdn.Cdn;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.cdn.UnixfsProfile;
import org.powerverse.platform.Job;
import org.powerverse.platform.JobWork;
import org.powerverse.platform.Jobs;
import org.powerverse.platform.NodeIdentity;
import org.powerverse.platform.SubsystemContext;

public class CdnGatewayBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx();
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
    Cdn.CdnSubsystemHandle cdn = Cdn.subsystem(new CdnConfig(null, "127.0.0.1", port, 10L << 30, null, null, null, null, null));
    cdn.start(new SubsystemContext(vertx, dir, Clock.systemUTC(), new SecureRandom(), identity, jobs, new SimpleMeterRegistry()))
        .toCompletionStage().toCompletableFuture().get();
    for (int i = 2; i < args.length; i++) {
      Path file = Path.of(args[i]);
      try (InputStream in = Files.newInputStream(file)) {
        String cid = cdn.service().addFile(in, UnixfsProfile.UNIXFS_V1_2025, true).cid();
        System.out.println("cid " + file.getFileName() + " " + cid);
      }
    }
    System.out.println("listening " + cdn.gatewayPort());
    System.out.flush();
  }
}
