package org.powerverse.cdn;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.powerverse.cdn.internal.BlockSink;
import org.powerverse.cdn.internal.UnixfsImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code powerverse cid FILE}: the root CID that {@code ipfs add} / ipfs-car gives a file under a profile. */
@Command(
    name = "cid",
    mixinStandardHelpOptions = true,
    description = {
        "Prints the root CID of FILE as a UnixFS file, as `ipfs add` (unixfs-v0-2015) or ipfs-car and",
        "helia (unixfs-v1-2025) compute it. Reads the file once, streaming; stores nothing."})
public final class CidCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "unixfs-v1-2025",
      description = "UnixFS CID profile (IPIP-0499): unixfs-v1-2025 (CIDv1, raw leaves, 1 MiB chunks) or "
          + "unixfs-v0-2015 (CIDv0, 256 KiB chunks). Default: ${DEFAULT-VALUE}.")
  String profile;

  @Parameters(paramLabel = "FILE", description = "The file; '-' reads standard input.")
  Path file;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    UnixfsProfile chosen;
    try {
      chosen = UnixfsProfile.byName(profile);
    } catch (IllegalArgumentException e) {
      err.println("cid: " + e.getMessage());
      return 2;
    }
    try (InputStream in = CliFiles.openInput(file)) {
      out.println(UnixfsImporter.importFile(in, chosen, BlockSink.DISCARD).root());
      out.flush();
      return 0;
    } catch (IOException e) {
      err.println("cid: " + CliFiles.describe(e));
      return 1;
    }
  }
}
