package org.powerverse.appliance.internal.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.powerverse.appliance.NodeConfig;
import org.powerverse.appliance.Version;
import org.powerverse.appliance.internal.Logging;
import org.powerverse.appliance.internal.Supervisor;
import org.powerverse.appliance.internal.boot.ConfigFetcher;
import org.powerverse.appliance.internal.boot.ConfigUrl;
import org.powerverse.appliance.internal.identity.IdentityException;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code ./powerverse run}: the supervisor, until SIGTERM or Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the node's supervisor with the REST API, until SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (keys, tokens, LMDB). Default: /var/lib/powerverse as root, else $XDG_DATA_HOME/powerverse.")
  Path data;

  @Option(names = "--api-port", paramLabel = "N", description = "API port (overrides api.port); 0 picks a free one.")
  Integer apiPort;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file (YAML). Default: DATA/config/powerverse.yaml if present, else built-in defaults.")
  Path config;

  @Option(names = "--libvirt-uri", paramLabel = "URI", description = "libvirt URI (overrides hypervisor.libvirtUri).")
  String libvirtUri;

  @Option(names = "--config-url", paramLabel = "URL",
      description = "Fetch the config from URL at start; ${mac}, ${uuid} and ${hostname} are replaced. Also "
          + "pv.config=URL on the kernel command line (PXE fleets). Retried until it answers; the last good copy "
          + "is kept in DATA/config/fetched.yaml.")
  String configUrl;

  @Option(names = "--config-fingerprint", paramLabel = "SHA256",
      description = "Pin the CA (or the certificate) of an https config URL by its SHA-256; also pv.config.fingerprint=.")
  String configFingerprint;

  @Option(names = "--kernel-cmdline", paramLabel = "FILE", hidden = true, defaultValue = "/proc/cmdline")
  Path kernelCmdline;

  @Option(names = "--sys-root", paramLabel = "DIR", hidden = true, defaultValue = "/sys")
  Path sysRoot;

  /** Sleeps between config fetch attempts; tests replace it. */
  ConfigFetcher.Sleeper sleeper = duration -> Thread.sleep(duration);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dataDir = (data != null ? data : Paths.defaultDataDir(System.getenv())).toAbsolutePath();
    NodeConfig nodeConfig;
    try {
      Optional<Path> file = Optional.ofNullable(config);
      if (file.isEmpty()) {
        file = fetchedConfig(err, dataDir);
      }
      nodeConfig = Paths.loadConfig(file, dataDir);
    } catch (IllegalArgumentException e) {
      err.println("powerverse: " + e.getMessage());
      return RootCommand.BAD_CONFIG;
    } catch (ConfigException e) {
      err.println("powerverse: bad config: " + e.getMessage());
      return RootCommand.BAD_CONFIG;
    }
    if (apiPort != null) {
      if (apiPort < 0 || apiPort > 65535) {
        err.println("powerverse: --api-port must be between 0 and 65535, got " + apiPort);
        return RootCommand.USAGE;
      }
      nodeConfig = nodeConfig.withApi(nodeConfig.api().withPort(apiPort));
    }
    if (libvirtUri != null) {
      nodeConfig = nodeConfig.withHypervisor(nodeConfig.hypervisor().withLibvirtUri(libvirtUri));
    }
    Logging.configure(nodeConfig.log());
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    Supervisor supervisor;
    try {
      supervisor = Supervisor.start(new Supervisor.Options(dataDir, nodeConfig, Clock.systemUTC(), new SecureRandom()));
    } catch (IdentityException e) {
      err.println("powerverse: " + e.getMessage());
      Logging.stop();
      return RootCommand.BAD_IDENTITY;
    } catch (BindException e) {
      err.println("powerverse: cannot listen on " + nodeConfig.api().bindAddress() + ":" + nodeConfig.api().port()
          + ": " + e.getMessage() + " (is another node running? use --api-port)");
      Logging.stop();
      return RootCommand.FAILED;
    }
    // A fallback for exits that do not come through a signal (System.exit elsewhere).
    Thread hook = new Thread(supervisor::close, "powerverse-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printBanner(out, supervisor, nodeConfig, dataDir);
    stop.await();
    supervisor.close();
    Runtime.getRuntime().removeShutdownHook(hook);
    Logging.stop();
    return RootCommand.OK;
  }

  /**
   * The config fetched from --config-url or the kernel's pv.config=, when either is given; empty
   * otherwise (then the usual file or the defaults).
   */
  Optional<Path> fetchedConfig(PrintWriter err, Path dataDir) throws Exception {
    String cmdline = "";
    if (kernelCmdline != null && Files.isReadable(kernelCmdline)) {
      cmdline = Files.readString(kernelCmdline, StandardCharsets.UTF_8);
    }
    ConfigUrl.Machine machine = ConfigUrl.machine(cmdline, sysRoot, hostname());
    Optional<ConfigUrl> url = configUrl != null
        ? Optional.of(ConfigUrl.of(configUrl, configFingerprint, machine))
        : ConfigUrl.fromKernelCmdline(cmdline, machine);
    if (url.isEmpty()) {
      return Optional.empty();
    }
    ConfigFetcher fetcher = new ConfigFetcher(sleeper, new SecureRandom(), err, 3);
    return Optional.of(fetcher.fetch(ConfigFetcher.client(url.get()), url.get(),
        dataDir.resolve("config").resolve("fetched.yaml"),
        yaml -> ConfigLoader.parse(url.get().uri().toString(), yaml, NodeConfig.class)));
  }

  private static Optional<String> hostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
      return name.isEmpty() ? Optional.empty() : Optional.of(name);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void printBanner(PrintWriter out, Supervisor supervisor, NodeConfig config, Path dataDir) {
    int port = supervisor.apiPort();
    String bind = config.api().bindAddress();
    String shown = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    out.println("PowerVerse node " + supervisor.identity().nodeId() + " (" + Version.get() + ")");
    out.println("  api          https://" + shown + ":" + port + "/api/v1   (listening on " + bind + ":" + port + ")");
    out.println("  tls sha-256  " + supervisor.identity().tlsFingerprint());
    out.println("  admin token  " + (supervisor.adminTokenFile() != null ? supervisor.adminTokenFile() : "set by api.adminToken"));
    out.println("  data         " + dataDir);
    out.flush();
  }
}
