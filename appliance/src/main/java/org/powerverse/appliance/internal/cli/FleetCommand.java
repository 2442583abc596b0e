package org.powerverse.appliance.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.powerverse.platform.ConfigException;
import org.powerverse.platform.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./powerverse fleet --inventory FILE status|exec|update}: one command over many nodes, in parallel
 * with a bounded pool, a table that fills in as nodes answer (on a terminal), and a non-zero exit
 * when any node failed.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
    description = "Run a command against every node of an inventory, in parallel.",
    subcommands = {FleetCommand.Status.class, FleetCommand.Exec.class, FleetCommand.Update.class})
final class FleetCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--inventory", required = true, paramLabel = "FILE",
      description = "YAML listing the nodes: name, url, tokenFile, fingerprint (see docs/fleet.md).")
  Path inventoryFile;

  @Option(names = "--parallel", defaultValue = "16", paramLabel = "N",
      description = "How many nodes at once (default ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--known-nodes", paramLabel = "FILE", hidden = true,
      description = "Pinned fingerprints (default ~/.config/powerverse/known_nodes).")
  Path knownNodesFile;

  @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "Print one JSON document.")
  boolean json;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The inventory, or null after printing why it cannot be used. */
  private FleetInventory inventory(PrintWriter err) {
    if (parallel < 1 || parallel > 1024) {
      err.println("powerverse: --parallel must be between 1 and 1024, got " + parallel);
      return null;
    }
    try {
      return FleetInventory.load(inventoryFile);
    } catch (ConfigException e) {
      err.println("powerverse: the inventory " + e.getMessage());
      return null;
    }
  }

  private KnownNodes knownNodes() {
    return new KnownNodes(knownNodesFile != null ? knownNodesFile : KnownNodes.defaultFile(System.getenv()));
  }

  /**
   * Runs {@code work} for every node with at most {@code parallel} at once (virtual threads: each
   * waits on the network), calling {@code done} as each finishes, and returns the results in
   * inventory order.
   */
  private <R> List<R> forEachNode(FleetInventory inventory, Function<FleetInventory.Node, R> work,
      java.util.function.BiConsumer<Integer, R> done) throws InterruptedException {
    Semaphore slots = new Semaphore(parallel);
    Object reporting = new Object();
    List<Future<R>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<FleetInventory.Node> nodes = inventory.nodes();
      for (int i = 0; i < nodes.size(); i++) {
        int index = i;
        FleetInventory.Node node = nodes.get(i);
        futures.add(pool.submit(() -> {
          slots.acquire();
          try {
            R result = work.apply(node);
            synchronized (reporting) {
              done.accept(index, result);
            }
            return result;
          } finally {
            slots.release();
          }
        }));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("a fleet task failed unexpectedly", e.getCause());
        }
      }
      return results;
    }
  }

  /** The closing line for humans, and the exit status: failed when any node failed. */
  private int finish(PrintWriter out, int nodes, long failed) {
    if (!json) {
      out.println(nodes - failed + " of " + nodes + " nodes ok" + (failed > 0 ? ", " + failed + " failed" : ""));
    }
    out.flush();
    return failed > 0 ? RootCommand.FAILED : RootCommand.OK;
  }

  private ApiClient client(FleetInventory.Node node, PrintWriter err) throws IOException, GeneralSecurityException {
    String token = Files.readString(node.tokenFile(), StandardCharsets.UTF_8).strip();
    return new ApiClient(node.url(), token, Optional.ofNullable(node.fingerprint()), knownNodes(), err);
  }

  /** What one node said to {@code status}. */
  record NodeStatus(String name, String url, boolean reached, String error, String nodeId, String version,
      Boolean ready, String notReady, Double score, Integer vms) {

    boolean failed(boolean requireReady) {
      return !reached || (requireReady && !Boolean.TRUE.equals(ready));
    }

    String state() {
      if (!reached) {
        return "FAILED: " + firstLine(error);
      }
      return Boolean.TRUE.equals(ready) ? "ready" : "not ready: " + notReady;
    }
  }

  @Command(name = "status", description = "Each node's readiness, version, score and VMs.")
  static final class Status implements Callable<Integer> {
    @ParentCommand FleetCommand fleet;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--require-ready", description = "Count a node that is reachable but not ready as failed.")
    boolean requireReady;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      FleetInventory inventory = fleet.inventory(err);
      if (inventory == null) {
        return RootCommand.USAGE;
      }
      LiveTable live = fleet.json ? null : LiveTable.onTerminal(out);
      NodeStatus[] shown = new NodeStatus[inventory.nodes().size()];
      List<NodeStatus> results = fleet.forEachNode(inventory, node -> status(node, err), (i, status) -> {
        shown[i] = status;
        if (live != null) {
          live.redraw(table(inventory, shown));
        }
      });
      if (fleet.json) {
        out.println(Json.MAPPER.valueToTree(results).toPrettyString());
      } else if (live == null) {
        table(inventory, shown).print(out);
      }
      if (!fleet.json) {
        out.println();
      }
      return fleet.finish(out, results.size(), results.stream().filter(r -> r.failed(requireReady)).count());
    }

    private NodeStatus status(FleetInventory.Node node, PrintWriter err) {
      try (ApiClient client = fleet.client(node, err)) {
        JsonNode info = client.get("/api/v1/node");
        String notReady = null;
        for (JsonNode s : info.path("subsystems")) {
          if (!"ready".equals(s.path("state").asText())) {
            notReady = s.path("name").asText() + " " + s.path("state").asText()
                + (s.hasNonNull("reason") ? " (" + s.path("reason").asText() + ")" : "");
            break;
          }
        }
        Double score = null;
        try {
          score = client.get("/api/v1/host/score").path("score").asDouble();
        } catch (ApiClient.ApiError e) {
          if (e.status == 0) {
            throw e;
          }
        }
        Integer vms = null;
        try {
          JsonNode list = client.get("/api/v1/vms");
          vms = list.path("items").size();
        } catch (ApiClient.ApiError e) {
          if (e.status != 404) { // a node without VM support answers 404
            throw e;
          }
        }
        return new NodeStatus(node.name(), node.url().toString(), true, null, info.path("nodeId").asText(),
            info.path("version").asText(), info.path("ready").asBoolean(), notReady, score, vms);
      } catch (ApiClient.ApiError | IOException | GeneralSecurityException e) {
        return new NodeStatus(node.name(), node.url().toString(), false, e.getMessage(), null, null, null, null,
            null, null);
      }
    }

    private static Table table(FleetInventory inventory, NodeStatus[] shown) {
      Table table = new Table("NODE", "STATUS", "VERSION", "SCORE", "VMS");
      for (int i = 0; i < shown.length; i++) {
        NodeStatus s = shown[i];
        if (s == null) {
          table.row(inventory.nodes().get(i).name(), "…", null, null, null);
        } else {
          table.row(s.name(), s.state(), s.version(), s.score() == null ? null : String.format("%.1f", s.score()),
              s.vms());
        }
      }
      return table;
    }
  }

  /** What one node's {@code ctl} printed. */
  record ExecResult(String name, String url, int exitCode, String stdout, String stderr) {}

  @Command(name = "exec", description = "Run a ctl command on every node, e.g. `fleet --inventory F exec -- host score`.")
  static final class Exec implements Callable<Integer> {
    @ParentCommand FleetCommand fleet;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "CTL-ARGS", description = "The ctl command and its arguments.")
    List<String> ctlArgs;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      FleetInventory inventory = fleet.inventory(err);
      if (inventory == null) {
        return RootCommand.USAGE;
      }
      List<ExecResult> results = fleet.forEachNode(inventory, this::exec, (i, r) -> { });
      if (fleet.json) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (ExecResult r : results) {
          ObjectNode o = Json.MAPPER.valueToTree(r);
          if (ctlArgs.contains("--json")) { // the node's JSON, not a string holding it
            try {
              o.set("stdout", Json.MAPPER.readTree(r.stdout()));
            } catch (IOException e) {
              // not JSON (an error): left as text
            }
          }
          array.add(o);
        }
        out.println(array.toPrettyString());
      } else {
        for (ExecResult r : results) {
          out.println("== " + r.name() + " (" + r.url() + ")" + (r.exitCode() == 0 ? "" : " exit " + r.exitCode()));
          out.print(r.stdout());
          out.print(r.stderr());
          out.println();
        }
      }
      return fleet.finish(out, results.size(), results.stream().filter(r -> r.exitCode() != 0).count());
    }

    private ExecResult exec(FleetInventory.Node node) {
      List<String> args = new ArrayList<>(List.of("--url", node.url().toString(),
          "--token-file", node.tokenFile().toString()));
      if (node.fingerprint() != null) {
        args.addAll(List.of("--fingerprint", node.fingerprint()));
      }
      if (fleet.knownNodesFile != null) {
        args.addAll(List.of("--known-nodes", fleet.knownNodesFile.toString()));
      }
      args.addAll(ctlArgs);
      StringWriter stdout = new StringWriter();
      StringWriter stderr = new StringWriter();
      CommandLine ctl = new CommandLine(new CtlCommand());
      ctl.setOut(new PrintWriter(stdout, true));
      ctl.setErr(new PrintWriter(stderr, true));
      int code = ctl.execute(args.toArray(String[]::new));
      return new ExecResult(node.name(), node.url().toString(), code, stdout.toString(), stderr.toString());
    }
  }

  /** How one node's update went. */
  record UpdateResult(String name, String url, String outcome, String slot, String version, String error) {
    boolean failed() {
      return !outcome.equals("updated") && !outcome.equals("written") && !outcome.equals("skipped");
    }
  }

  @Command(name = "update", description = "Rolling update: write a signed bundle to each node's other slot, reboot "
      + "it, and wait until it is back, ready, on the new slot; N nodes at a time, stopping at the first failure.")
  static final class Update implements Callable<Integer> {
    @ParentCommand FleetCommand fleet;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "BUNDLE", description = "The signed update bundle (./powerverse bundle create).")
    Path bundle;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
        description = "Nodes updated at once (default ${DEFAULT-VALUE}); the next batch starts when all of this one are back.")
    int batch;

    @Option(names = "--timeout", defaultValue = "900", paramLabel = "SECONDS",
        description = "How long a node has to come back ready on its new slot (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--no-reboot", description = "Only write the bundle; each node boots it at its next reboot.")
    boolean noReboot;

    /** How often a rebooting node is asked whether it is back. */
    static final java.time.Duration POLL = java.time.Duration.ofSeconds(1);

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      FleetInventory inventory = fleet.inventory(err);
      if (inventory == null) {
        return RootCommand.USAGE;
      }
      if (batch < 1 || !Files.isReadable(bundle)) {
        err.println("powerverse: " + (batch < 1 ? "--batch must be at least 1" : "cannot read the bundle " + bundle));
        return RootCommand.USAGE;
      }
      List<FleetInventory.Node> nodes = inventory.nodes();
      String[] steps = new String[nodes.size()];
      UpdateResult[] results = new UpdateResult[nodes.size()];
      LiveTable live = fleet.json ? null : LiveTable.onTerminal(out);
      Object drawing = new Object();
      java.util.function.BiConsumer<Integer, String> step = (i, text) -> {
        synchronized (drawing) {
          steps[i] = text;
          if (live != null) {
            live.redraw(table(nodes, steps));
          }
        }
      };
      boolean stopped = false;
      for (int from = 0; from < nodes.size(); from += batch) {
        int to = Math.min(nodes.size(), from + batch);
        if (stopped) {
          for (int i = from; i < to; i++) {
            results[i] = new UpdateResult(nodes.get(i).name(), nodes.get(i).url().toString(), "skipped", null, null,
                "not tried: an earlier node failed");
            step.accept(i, "skipped");
          }
          continue;
        }
        List<Future<UpdateResult>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
          for (int i = from; i < to; i++) {
            int index = i;
            running.add(pool.submit(() -> updateOne(nodes.get(index), text -> step.accept(index, text), err)));
          }
          for (int i = from; i < to; i++) {
            try {
              results[i] = running.get(i - from).get();
            } catch (ExecutionException e) {
              throw new IllegalStateException("a fleet task failed unexpectedly", e.getCause());
            }
            step.accept(i, results[i].failed() ? "FAILED: " + firstLine(results[i].error()) : results[i].outcome()
                + (results[i].version() == null ? "" : " to " + results[i].version() + " (slot " + results[i].slot() + ")"));
            stopped |= results[i].failed();
          }
        }
      }
      if (fleet.json) {
        out.println(Json.MAPPER.valueToTree(results).toPrettyString());
      } else {
        if (live == null) {
          table(nodes, steps).print(out);
        }
        out.println();
      }
      return fleet.finish(out, nodes.size(),
          java.util.Arrays.stream(results).filter(r -> r.failed() || r.outcome().equals("skipped")).count());
    }

    private UpdateResult updateOne(FleetInventory.Node node, java.util.function.Consumer<String> step, PrintWriter err) {
      String slot = null;
      String version = null;
      try (ApiClient client = fleet.client(node, err)) {
        step.accept("checking");
        JsonNode system = client.get("/api/v1/system");
        if (!system.path("updatesAvailable").asBoolean()) {
          throw new ApiClient.ApiError("updates unavailable: " + system.path("unavailableReason").asText(),
              RootCommand.FAILED);
        }
        String bootedBefore = system.path("bootedSlot").asText();
        long size = Files.size(bundle);
        long[] shown = {-1};
        JsonNode written = client.upload("/api/v1/system/update", bundle, sent -> {
          long percent = size == 0 ? 100 : sent * 100 / size;
          if (percent != shown[0]) {
            shown[0] = percent;
            step.accept("uploading " + percent + "%");
          }
        });
        slot = written.path("slot").asText();
        version = written.path("version").asText();
        if (noReboot) {
          return new UpdateResult(node.name(), node.url().toString(), "written", slot, version, null);
        }
        step.accept("rebooting into " + version);
        client.post("/api/v1/system/reboot", null);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
          Thread.sleep(POLL.toMillis()); // a client polling a rebooting machine at a human pace
          try {
            JsonNode now = client.get("/api/v1/system");
            String booted = now.path("bootedSlot").asText();
            String state = slotState(now, slot);
            if (booted.equals(slot) && state.equals("good")) {
              return new UpdateResult(node.name(), node.url().toString(), "updated", slot, version, null);
            }
            if (booted.equals(bootedBefore) && (state.equals("failed") || state.equals("bad"))) {
              throw new ApiClient.ApiError("rolled back: slot " + slot + " with " + version + " did not come up ready "
                  + "and the node is back on slot " + bootedBefore, RootCommand.FAILED);
            }
            last = "booted " + booted + ", slot " + slot + " " + state;
            step.accept("waiting: " + last);
          } catch (ApiClient.ApiError e) {
            if (e.status != 0) {
              throw e;
            }
            last = "unreachable (" + firstLine(e.getMessage()) + ")";
            step.accept("waiting: rebooting");
          }
        }
        throw new ApiClient.ApiError("not back on slot " + slot + " within " + timeoutSeconds + " s: " + last,
            RootCommand.FAILED);
      } catch (ApiClient.ApiError | IOException | GeneralSecurityException e) {
        return new UpdateResult(node.name(), node.url().toString(), "failed", slot, version, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new UpdateResult(node.name(), node.url().toString(), "failed", slot, version, "interrupted");
      }
    }

    private static String slotState(JsonNode system, String slot) {
      for (JsonNode s : system.path("slots")) {
        if (s.path("name").asText().equals(slot)) {
          return s.path("state").asText();
        }
      }
      return "unknown";
    }

    private static Table table(List<FleetInventory.Node> nodes, String[] steps) {
      Table table = new Table("NODE", "UPDATE");
      for (int i = 0; i < nodes.size(); i++) {
        table.row(nodes.get(i).name(), steps[i] == null ? "waiting for its turn" : steps[i]);
      }
      return table;
    }
  }

  private static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }

  /** A table redrawn in place on a terminal as rows fill in; null elsewhere (then printed once). */
  static final class LiveTable {
    private final PrintWriter out;
    private int drawnLines;

    private LiveTable(PrintWriter out) {
      this.out = out;
    }

    static LiveTable onTerminal(PrintWriter out) {
      return org.powerverse.appliance.internal.Logging.onTerminal() ? new LiveTable(out) : null;
    }

    void redraw(Table table) {
      StringWriter text = new StringWriter();
      table.print(new PrintWriter(text));
      String drawn = text.toString();
      if (drawnLines > 0) {
        out.print("\u001b[" + drawnLines + "F\u001b[J"); // back to the table's first line, clear below
      }
      out.print(drawn);
      out.flush();
      drawnLines = (int) drawn.chars().filter(c -> c == '\n').count();
    }
  }
}
