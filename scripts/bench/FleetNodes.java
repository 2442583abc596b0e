// N supervisors in one JVM on loopback, for scripts/bench/fleet-status.sh: each has its own data
// directory, identity, API port and LMDB, exactly as `powerverse run` builds them; one JVM instead
// of N keeps 50 nodes within this machine's memory. Writes an inventory (pinned fingerprints) and
// prints "ready" when every node listens; stops them all on SIGTERM.
// Usage: java -cp 'appliance/target/dist/lib/*' scripts/bench/FleetNodes.java N DIR
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.internal.Supervisor;
import org.powerverse.cdn.CdnConfig;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.platform.ConfigLoader;

public class FleetNodes {
  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    Path dir = Path.of(args[1]);
    NodeConfig defaults = ConfigLoader.defaults(NodeConfig.class);
    HypervisorConfig h = defaults.hypervisor();
    CdnConfig c = defaults.cdn();
    NodeConfig config = defaults.withApi(new NodeConfig.ApiConfig(0, "127.0.0.1", null, null, null, null))
        .withHypervisor(h.withLibvirtUri("test:///default"))
        .withCdn(new CdnConfig(true, "127.0.0.1", 0, 64L << 20, List.of(), null, null, null, null));
    List<Supervisor> nodes = new ArrayList<>();
    StringBuilder inventory = new StringBuilder("nodes:\n");
    for (int i = 0; i < count; i++) {
      Path data = Files.createDirectories(dir.resolve("node" + i));
      Supervisor node = Supervisor.start(new Supervisor.Options(data, config, Clock.systemUTC(), new SecureRandom()));
      nodes.add(node);
      inventory.append("  - name: node").append(i).append("\n    url: https://127.0.0.1:").append(node.apiPort())
          .append("\n    tokenFile: ").append(data.resolve("admin.token"))
          .append("\n    fingerprint: \"").append(node.identity().tlsFingerprint()).append("\"\n");
      if (i == 0) {
        Files.writeString(dir.resolve("one.yaml"), inventory + "");
      }
    }
    Files.writeString(dir.resolve("fleet.yaml"), inventory);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> nodes.parallelStream().forEach(Supervisor::close)));
    System.out.println("ready");
    System.out.flush();
    Thread.currentThread().join(); // until SIGTERM
  }
}
