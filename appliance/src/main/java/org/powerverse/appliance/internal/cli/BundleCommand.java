package org.powerverse.appliance.internal.cli;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.powerverse.appliance.internal.identity.IdentityException;
import org.powerverse.appliance.internal.identity.NodeKeys;
import org.powerverse.appliance.internal.system.UpdateBundle;
import org.powerverse.platform.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./powerverse bundle}: make and check signed system-update bundles (docs/updates.md). */
@Command(name = "bundle", mixinStandardHelpOptions = true,
    description = "Signed system-update bundles: keygen, create, verify.",
    subcommands = {BundleCommand.Keygen.class, BundleCommand.Create.class, BundleCommand.Verify.class})
final class BundleCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "keygen", description = "Create an Ed25519 update-signing key (PKCS#8 PEM, 0600); print its public key.")
  static final class Keygen implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the private key.")
    Path out;

    @Override
    public Integer call() {
      if (Files.exists(out)) {
        spec.commandLine().getErr().println("powerverse: " + out + " exists; a signing key is never overwritten");
        return RootCommand.FAILED;
      }
      try {
        Ed25519PrivateKeyParameters key = NodeKeys.loadOrCreateEd25519(out, "an Ed25519 update-signing key",
            new SecureRandom());
        spec.commandLine().getOut().println(HexFormat.of().formatHex(key.generatePublicKey().getEncoded()));
        return RootCommand.OK;
      } catch (IdentityException e) {
        spec.commandLine().getErr().println("powerverse: " + e.getMessage());
        return RootCommand.FAILED;
      }
    }
  }

  @Command(name = "create", description = "Write a signed bundle from payload files (role=FILE).")
  static final class Create implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "The Ed25519 signing key (PEM).")
    Path keyFile;

    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "The release, e.g. 0.2.0.")
    String version;

    @Option(names = "--created-at", paramLabel = "INSTANT",
        description = "The bundle's time (ISO-8601; default $SOURCE_DATE_EPOCH, else now), for reproducible builds.")
    Instant createdAt;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The bundle to write.")
    Path output;

    @Parameters(arity = "1..*", paramLabel = "ROLE=FILE", description = "Payloads, e.g. rootfs=root.squashfs kernel=vmlinuz initrd=initrd.img.")
    Map<String, Path> payloads = new LinkedHashMap<>();

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      if (!Files.exists(keyFile)) {
        err.println("powerverse: no signing key at " + keyFile + " (make one with `bundle keygen --out FILE`)");
        return RootCommand.FAILED;
      }
      Path temp = output.resolveSibling(output.getFileName() + ".partial");
      try {
        Ed25519PrivateKeyParameters key = NodeKeys.loadOrCreateEd25519(keyFile, "an Ed25519 update-signing key",
            new SecureRandom());
        List<UpdateBundle.Source> sources = new ArrayList<>();
        payloads.forEach((role, file) -> sources.add(new UpdateBundle.Source(role, file)));
        UpdateBundle.Manifest manifest;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
          manifest = UpdateBundle.create(out, key, version, createdAt(), sources);
        }
        Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        return RootCommand.OK;
      } catch (IdentityException | IOException | IllegalArgumentException e) {
        err.println("powerverse: cannot create the bundle: " + e.getMessage());
        return RootCommand.FAILED;
      } finally {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          err.println("powerverse: could not remove " + temp + ": " + e.getMessage());
        }
      }
    }

    private Instant createdAt() {
      if (createdAt != null) {
        return createdAt;
      }
      String epoch = System.getenv("SOURCE_DATE_EPOCH");
      return epoch != null && epoch.matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(epoch)) : Instant.now();
    }
  }

  @Command(name = "verify", description = "Check a bundle's signature, version and every payload's size and hash.")
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--public-key", required = true, paramLabel = "HEX",
        description = "A trusted Ed25519 public key (64 hex digits); repeat for several.")
    List<String> publicKeys;

    @Option(names = "--installed", paramLabel = "VERSION", description = "Refuse a bundle not newer than this.")
    String installed;

    @Parameters(index = "0", paramLabel = "BUNDLE")
    Path bundle;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      List<byte[]> keys = new ArrayList<>();
      for (String hex : publicKeys) {
        if (!hex.matches("[0-9a-fA-F]{64}")) {
          err.println("powerverse: --public-key must be 64 hex digits, got " + hex);
          return RootCommand.USAGE;
        }
        keys.add(HexFormat.of().parseHex(hex));
      }
      try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
        UpdateBundle.Manifest manifest = UpdateBundle.verify(in, keys, installed, new UpdateBundle.PayloadSink() {
          @Override
          public OutputStream open(UpdateBundle.Payload payload) {
            return OutputStream.nullOutputStream();
          }

          @Override
          public void commit(UpdateBundle.Payload payload) {}

          @Override
          public void abort() {}
        });
        spec.commandLine().getOut().println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        return RootCommand.OK;
      } catch (UpdateBundle.BundleException e) {
        err.println("powerverse: refused (" + e.reason.name().toLowerCase(java.util.Locale.ROOT) + "): " + e.getMessage());
        return RootCommand.FAILED;
      } catch (IOException e) {
        err.println("powerverse: cannot read " + bundle + ": " + e.getMessage());
        return RootCommand.FAILED;
      }
    }
  }
}
