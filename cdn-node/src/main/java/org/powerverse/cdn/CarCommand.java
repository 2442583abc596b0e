package org.powerverse.cdn;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.powerverse.cdn.internal.CarIndex;
import org.powerverse.cdn.internal.CarWriter;
import org.powerverse.cdn.internal.DagReader;
import org.powerverse.cdn.internal.MissingBlockException;
import org.powerverse.cdn.internal.UnixfsExporter;
import org.powerverse.cdn.internal.UnixfsImporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code powerverse car pack|unpack}: CAR archives of UnixFS files. */
@Command(
    name = "car",
    mixinStandardHelpOptions = true,
    description = "Packs a file into a CARv1 archive, or unpacks a CAR (v1 or v2), verifying every block.",
    subcommands = {CarCommand.Pack.class, CarCommand.Unpack.class})
public final class CarCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code car pack FILE -o OUT.car}. */
  @Command(name = "pack", mixinStandardHelpOptions = true,
      description = "Imports FILE as UnixFS and writes its blocks as a CARv1 with the file's CID as the one root; prints the root.")
  public static final class Pack implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "unixfs-v1-2025",
        description = "UnixFS CID profile: unixfs-v1-2025 or unixfs-v0-2015. Default: ${DEFAULT-VALUE}.")
    String profile;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT.car", required = true, description = "The CAR to write (must not exist).")
    Path output;

    @Parameters(paramLabel = "FILE", description = "The file; '-' reads standard input.")
    Path file;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      UnixfsProfile chosen;
      try {
        chosen = UnixfsProfile.byName(profile);
      } catch (IllegalArgumentException e) {
        err.println("car pack: " + e.getMessage());
        return 2;
      }
      try (InputStream in = CliFiles.openInput(file)) {
        Cid root = pack(in, chosen, output);
        spec.commandLine().getOut().println(root);
        spec.commandLine().getOut().flush();
        return 0;
      } catch (IOException e) {
        err.println("car pack: " + CliFiles.describe(e));
        return 1;
      }
    }

    /**
     * Streams the import into the CAR. The root is known only at the end, so the header is first
     * written with a placeholder CID of the same encoded length (every root of a profile has one
     * length) and rewritten in place once the import is done, as ipfs-car does.
     */
    static Cid pack(InputStream in, UnixfsProfile profile, Path output) throws IOException {
      Cid placeholder = profile.cidVersion() == 0
          ? Cid.v0(Multihash.ofSha256Digest(new byte[32]))
          : Cid.v1(Multicodec.DAG_PB, Multihash.ofSha256Digest(new byte[32]));
      boolean done = false;
      // CREATE_NEW refuses an existing file before anything is written; only what this created is cleaned up.
      FileChannel created = FileChannel.open(output, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try (FileChannel channel = created) {
        CarWriter writer = new CarWriter(channel, List.of(placeholder));
        Cid root = UnixfsImporter.importFile(in, profile, writer).root();
        byte[] header = CarWriter.header(List.of(root));
        if (header.length != CarWriter.header(List.of(placeholder)).length) {
          throw new IllegalStateException("root " + root + " does not have the placeholder's length");
        }
        ByteBuffer buffer = ByteBuffer.wrap(header);
        long position = 0;
        while (buffer.hasRemaining()) {
          position += channel.write(buffer, position);
        }
        channel.force(true);
        done = true;
        return root;
      } finally {
        if (!done) {
          Files.deleteIfExists(output);
        }
      }
    }
  }

  /** {@code car unpack IN.car -o OUT}. */
  @Command(name = "unpack", mixinStandardHelpOptions = true,
      description = "Verifies every block of IN.car against its CID, then writes the UnixFS DAG at its root to OUT (a file or a directory tree).")
  public static final class Unpack implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, description = "Where to write (must not exist).")
    Path output;

    @Option(names = "--root", paramLabel = "CID", description = "The DAG to unpack; default: the CAR's only root.")
    String root;

    @Parameters(paramLabel = "IN.car", description = "The CAR file (v1 or v2).")
    Path input;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      try (CarIndex car = CarIndex.open(input)) {
        Cid chosen;
        if (root != null) {
          try {
            chosen = Cid.parse(root);
          } catch (IllegalArgumentException e) {
            err.println("car unpack: --root: " + e.getMessage());
            return 2;
          }
        } else if (car.roots().size() == 1) {
          chosen = car.roots().get(0);
        } else {
          err.println("car unpack: the CAR has " + car.roots().size() + " roots; choose one with --root");
          return 2;
        }
        UnixfsExporter.Result result = UnixfsExporter.export(new DagReader(car), chosen, output);
        spec.commandLine().getOut().printf("%s -> %s (%d files, %d directories, %d bytes)%n",
            chosen, output, result.files(), result.directories(), result.bytes());
        spec.commandLine().getOut().flush();
        return 0;
      } catch (MissingBlockException e) {
        err.println("car unpack: the CAR is incomplete: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        err.println("car unpack: " + CliFiles.describe(e));
        return 1;
      } catch (UncheckedIOException e) {
        err.println("car unpack: " + CliFiles.describe(e.getCause()));
        return 1;
      } catch (IllegalArgumentException e) {
        err.println("car unpack: invalid data: " + e.getMessage());
        return 1;
      }
    }
  }
}
