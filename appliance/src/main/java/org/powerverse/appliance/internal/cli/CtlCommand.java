package org.powerverse.appliance.internal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.powerverse.appliance.internal.identity.NodeKeys;
import org.powerverse.platform.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ./powerverse ctl}: a running node's API from the command line. */
@Command(name = "ctl", mixinStandardHelpOptions = true,
    description = "Talk to a node's API over HTTPS with its certificate pinned.",
    subcommands = {CtlCommand.NodeCmd.class, CtlCommand.HostCmd.class, CtlCommand.JobsCmd.class,
        CtlCommand.TokensCmd.class, CtlCommand.SystemCmd.class})
final class CtlCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "https://127.0.0.1:8443",
      description = "The node's API (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding a bearer token. Default: $POWERVERSE_TOKEN, else the local node's DATA/admin.token.")
  Path tokenFile;

  @Option(names = "--fingerprint", paramLabel = "SHA256",
      description = "The node's TLS certificate fingerprint (from its console); pinned in known_nodes.")
  String fingerprint;

  @Option(names = "--known-nodes", paramLabel = "FILE", hidden = true,
      description = "Pinned fingerprints (default ~/.config/powerverse/known_nodes).")
  Path knownNodesFile;

  @Option(names = "--json", scope = CommandLine.ScopeType.INHERIT, description = "Print the API's JSON.")
  boolean json;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  ApiClient client() throws IOException, GeneralSecurityException {
    Map<String, String> env = System.getenv();
    String token;
    if (tokenFile != null) {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } else if (env.containsKey("POWERVERSE_TOKEN")) {
      token = env.get("POWERVERSE_TOKEN").strip();
    } else {
      Path local = Paths.defaultDataDir(env).resolve("admin.token");
      if (!Files.isReadable(local)) {
        throw new IOException("no token: give --token-file FILE or set POWERVERSE_TOKEN (no " + local + " here)");
      }
      token = Files.readString(local, StandardCharsets.UTF_8).strip();
    }
    Optional<String> pin = fingerprint == null ? Optional.empty() : Optional.of(NodeKeys.normalizeFingerprint(fingerprint));
    KnownNodes known = new KnownNodes(knownNodesFile != null ? knownNodesFile : KnownNodes.defaultFile(env));
    return new ApiClient(url, token, pin, known, spec.commandLine().getErr());
  }

  /** Runs one call, printing JSON or a human view, and maps failures to exit codes. */
  int call(CommandLine.Model.CommandSpec sub, Call call, Human human) {
    PrintWriter out = sub.commandLine().getOut();
    try {
      JsonNode result = call.run(client());
      if (json) {
        out.println(result == null ? "{}" : result.toPrettyString());
      } else {
        human.print(out, result);
      }
      out.flush();
      return RootCommand.OK;
    } catch (ApiClient.ApiError e) {
      sub.commandLine().getErr().println("powerverse: " + e.getMessage());
      return e.exitCode;
    } catch (IOException | GeneralSecurityException e) {
      sub.commandLine().getErr().println("powerverse: " + e.getMessage());
      return RootCommand.FAILED;
    }
  }

  @FunctionalInterface
  interface Call {
    JsonNode run(ApiClient client) throws ApiClient.ApiError, IOException;
  }

  @FunctionalInterface
  interface Human {
    void print(PrintWriter out, JsonNode result) throws ApiClient.ApiError, IOException;
  }

  @Command(name = "node", description = "The node: id, version, TLS fingerprint, subsystems' health.")
  static final class NodeCmd implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return ctl.call(spec, client -> client.get("/api/v1/node"), (out, node) -> {
        out.println("node     " + node.path("nodeId").asText() + " (" + node.path("name").asText() + ")");
        out.println("version  " + node.path("version").asText());
        out.println("did      " + node.path("did").asText());
        out.println("tls      " + node.path("tlsFingerprint").asText());
        out.println("ready    " + node.path("ready").asBoolean());
        Table table = new Table("SUBSYSTEM", "STATE", "SINCE", "REASON");
        node.path("subsystems").forEach(s -> table.row(s.path("name").asText(), s.path("state").asText(),
            s.path("since").asText(), s.path("reason").asText(null)));
        out.println();
        table.print(out);
      });
    }
  }

  @Command(name = "host", description = "The node's host: inventory, score, benchmark.",
      subcommands = {HostCmd.Score.class, HostCmd.Benchmark.class})
  static final class HostCmd implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return ctl.call(spec, client -> client.get("/api/v1/host"), (out, host) ->
          HostCommand.print(out, Json.MAPPER.treeToValue(host, org.powerverse.hypervisor.HostInventory.class)));
    }

    @Command(name = "score", description = "The whitepaper's score with its breakdown.")
    static final class Score implements Callable<Integer> {
      @ParentCommand HostCmd host;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        return host.ctl.call(spec, client -> client.get("/api/v1/host/score"), (out, score) -> {
          Table table = new Table("PARAMETER", "VALUE", "UNIT", "WEIGHT", "POINTS", "SOURCE / NOTE");
          score.path("parameters").forEach(p -> table.row(p.path("name").asText(), p.path("value").asText(),
              p.path("unit").asText(), p.path("weight").asText(), p.path("points").asText(),
              p.path("note").isMissingNode() ? p.path("source").asText() : p.path("note").asText()));
          table.print(out);
          out.println();
          out.println("score    " + score.path("score").asText());
        });
      }
    }

    @Command(name = "benchmark", description = "Benchmark the host (a job); --wait follows it to the end.")
    static final class Benchmark implements Callable<Integer> {
      @ParentCommand HostCmd host;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Option(names = "--wait", description = "Follow the job with a progress bar until it ends.")
      boolean await;

      @Override
      public Integer call() {
        return host.ctl.call(spec, client -> {
          JsonNode job = client.post("/api/v1/host/benchmark", null);
          return await ? JobsCmd.follow(client, job, spec.commandLine().getErr(), host.ctl.json) : job;
        }, JobsCmd::printJob);
      }
    }
  }

  @Command(name = "jobs", description = "Long-running work: list, show, wait, cancel.",
      subcommands = {JobsCmd.Show.class, JobsCmd.Wait.class, JobsCmd.Cancel.class})
  static final class JobsCmd implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--limit", defaultValue = "20", description = "How many, newest first (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
      return ctl.call(spec, client -> client.get("/api/v1/jobs?limit=" + limit), (out, jobs) -> {
        Table table = new Table("ID", "KIND", "STATE", "PERCENT", "MESSAGE");
        jobs.path("items").forEach(j -> table.row(j.path("id").asText(), j.path("kind").asText(),
            j.path("state").asText(), Math.round(j.path("percent").asDouble()) + "%", j.path("message").asText(null)));
        table.print(out);
      });
    }

    static void printJob(PrintWriter out, JsonNode job) {
      out.println("job      " + job.path("id").asText() + " (" + job.path("kind").asText() + ")");
      out.println("state    " + job.path("state").asText() + ", " + Math.round(job.path("percent").asDouble()) + "%");
      if (job.hasNonNull("message")) {
        out.println("message  " + job.path("message").asText());
      }
      if (job.has("result")) {
        out.println("result   " + job.path("result").toPrettyString().replace("\n", "\n         "));
      }
      if (job.has("error")) {
        out.println("error    " + job.path("error").path("detail").asText());
      }
    }

    /** Polls a job until it ends, drawing a progress bar on a terminal; fails if the job did. */
    static JsonNode follow(ApiClient client, JsonNode job, PrintWriter err, boolean quiet)
        throws ApiClient.ApiError {
      String id = job.path("id").asText();
      boolean terminal = !quiet && System.console() != null;
      ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName(job.path("kind").asText())
          .setInitialMax(100).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200).build()
          : null;
      long lastShown = -10;
      try {
        while (true) {
          job = client.get("/api/v1/jobs/" + id);
          long percent = Math.round(job.path("percent").asDouble());
          String state = job.path("state").asText();
          if (bar != null) {
            bar.stepTo(percent);
            bar.setExtraMessage(job.path("message").asText(""));
          } else if (!quiet && percent >= lastShown + 10) {
            err.println(id + " " + state + " " + percent + "% " + job.path("message").asText(""));
            err.flush();
            lastShown = percent;
          }
          if (state.equals("succeeded") || state.equals("failed") || state.equals("cancelled")) {
            break;
          }
          Thread.sleep(250); // a client polling a server at a human pace
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        if (bar != null) {
          bar.close();
        }
      }
      if (!job.path("state").asText().equals("succeeded")) {
        throw new ApiClient.ApiError("job " + id + " " + job.path("state").asText() + ": "
            + job.path("error").path("detail").asText(job.path("message").asText()), RootCommand.FAILED);
      }
      return job;
    }

    @Command(name = "show", description = "One job.")
    static final class Show implements Callable<Integer> {
      @ParentCommand JobsCmd jobs;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;
      @Parameters(paramLabel = "ID") String id;

      @Override
      public Integer call() {
        return jobs.ctl.call(spec, client -> client.get("/api/v1/jobs/" + id), JobsCmd::printJob);
      }
    }

    @Command(name = "wait", description = "Follow a job until it ends (exit 1 unless it succeeds).")
    static final class Wait implements Callable<Integer> {
      @ParentCommand JobsCmd jobs;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;
      @Parameters(paramLabel = "ID") String id;

      @Override
      public Integer call() {
        return jobs.ctl.call(spec, client -> follow(client, client.get("/api/v1/jobs/" + id),
            spec.commandLine().getErr(), jobs.ctl.json), JobsCmd::printJob);
      }
    }

    @Command(name = "cancel", description = "Ask a job to stop.")
    static final class Cancel implements Callable<Integer> {
      @ParentCommand JobsCmd jobs;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;
      @Parameters(paramLabel = "ID") String id;

      @Override
      public Integer call() {
        return jobs.ctl.call(spec, client -> client.post("/api/v1/jobs/" + id + "/cancel", null), JobsCmd::printJob);
      }
    }
  }

  @Command(name = "tokens", description = "API tokens (admin): list, create, revoke.",
      subcommands = {TokensCmd.Create.class, TokensCmd.Revoke.class})
  static final class TokensCmd implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return ctl.call(spec, client -> client.get("/api/v1/tokens"), (out, tokens) -> {
        Table table = new Table("ID", "NAME", "ROLE", "CREATED", "BY");
        tokens.path("items").forEach(t -> table.row(t.path("id").asText(), t.path("name").asText(),
            t.path("role").asText(), t.path("createdAt").asText(null), t.path("createdBy").asText(null)));
        table.print(out);
      });
    }

    @Command(name = "create", description = "Issue a token; its secret is shown once.")
    static final class Create implements Callable<Integer> {
      @ParentCommand TokensCmd tokens;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;
      @Option(names = "--name", required = true) String name;
      @Option(names = "--role", required = true, description = "reader, operator or admin") String role;

      @Override
      public Integer call() {
        return tokens.ctl.call(spec, client -> client.post("/api/v1/tokens", Map.of("name", name, "role", role)),
            (out, token) -> {
              out.println("id       " + token.path("id").asText());
              out.println("role     " + token.path("role").asText());
              out.println("token    " + token.path("token").asText());
              out.println("(the node keeps only its hash: store it now)");
            });
      }
    }

    @Command(name = "revoke", description = "Revoke a token.")
    static final class Revoke implements Callable<Integer> {
      @ParentCommand TokensCmd tokens;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;
      @Parameters(paramLabel = "ID") String id;

      @Override
      public Integer call() {
        return tokens.ctl.call(spec, client -> client.delete("/api/v1/tokens/" + id),
            (out, none) -> out.println("revoked " + id));
      }
    }
  }

  @Command(name = "system", description = "The A/B system slots; update (admin) and reboot.",
      subcommands = {SystemCmd.Update.class, SystemCmd.Reboot.class})
  static final class SystemCmd implements Callable<Integer> {
    @ParentCommand CtlCommand ctl;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      return ctl.call(spec, client -> client.get("/api/v1/system"), SystemCmd::printSystem);
    }

    static void printSystem(PrintWriter out, JsonNode system) {
      out.println("version  " + system.path("version").asText());
      if (!system.path("updatesAvailable").asBoolean()) {
        out.println("updates  unavailable: " + system.path("unavailableReason").asText());
        return;
      }
      out.println("booted   slot " + system.path("bootedSlot").asText() + ", next boot slot "
          + system.path("nextBoot").asText("none"));
      Table table = new Table("SLOT", "STATE", "VERSION", "BOOTED", "ATTEMPTS LEFT");
      system.path("slots").forEach(s -> table.row(s.path("name").asText(), s.path("state").asText(),
          s.path("version").asText("-"), s.path("booted").asBoolean() ? "yes" : "", s.path("bootAttemptsLeft").asText()));
      out.println();
      table.print(out);
    }

    @Command(name = "update", description = "Write a signed bundle (a file, uploaded, or --url the node fetches) "
        + "to the slot not booted; it boots next, on trial.")
    static final class Update implements Callable<Integer> {
      @ParentCommand SystemCmd system;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Parameters(paramLabel = "BUNDLE", arity = "0..1", description = "The bundle file to upload.")
      Path bundle;

      @Option(names = "--url", paramLabel = "URL", description = "Have the node fetch the bundle from here instead (a job).")
      URI bundleUrl;

      @Option(names = "--reboot", description = "Reboot into the new slot once it is written.")
      boolean reboot;

      @Override
      public Integer call() {
        if ((bundle == null) == (bundleUrl == null)) {
          spec.commandLine().getErr().println("powerverse: give a BUNDLE file or --url URL (one of them)");
          return RootCommand.USAGE;
        }
        return system.ctl.call(spec, client -> {
          JsonNode written = bundle != null
              ? upload(client, bundle, spec.commandLine().getErr(), system.ctl.json)
              : JobsCmd.follow(client, client.post("/api/v1/system/update", Map.of("url", bundleUrl.toString())),
                  spec.commandLine().getErr(), system.ctl.json).path("result");
          if (reboot) {
            client.post("/api/v1/system/reboot", null);
          }
          return written;
        }, (out, written) -> {
          out.println("written  " + written.path("version").asText() + " to slot " + written.path("slot").asText()
              + " (" + written.path("bytes").asLong() + " bytes)");
          out.println(reboot ? "rebooting into it; it is kept once the node comes up ready"
              : "it boots next, on trial: `ctl system reboot`");
        });
      }

      /** Uploads with a byte progress bar on a terminal, lines every 10 % otherwise. */
      static JsonNode upload(ApiClient client, Path file, PrintWriter err, boolean quiet)
          throws ApiClient.ApiError, IOException {
        long size = Files.size(file);
        boolean terminal = !quiet && System.console() != null;
        try (ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName("upload").setInitialMax(size)
            .setUnit(" MiB", 1 << 20).setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
            .build() : null) {
          long[] lastShown = {-10};
          return client.upload("/api/v1/system/update", file, sent -> {
            if (bar != null) {
              bar.stepTo(sent);
            } else if (!quiet && size > 0 && sent * 100 / size >= lastShown[0] + 10) {
              lastShown[0] = sent * 100 / size;
              err.println("upload " + lastShown[0] + "% (" + sent + " of " + size + " bytes)");
              err.flush();
            }
          });
        }
      }
    }

    @Command(name = "reboot", description = "Reboot the node (into the slot that boots next).")
    static final class Reboot implements Callable<Integer> {
      @ParentCommand SystemCmd system;
      @CommandLine.Spec CommandLine.Model.CommandSpec spec;

      @Override
      public Integer call() {
        return system.ctl.call(spec, client -> client.post("/api/v1/system/reboot", null),
            (out, none) -> out.println("rebooting"));
      }
    }
  }
}
