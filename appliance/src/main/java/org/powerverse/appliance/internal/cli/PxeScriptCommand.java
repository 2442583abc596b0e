package org.powerverse.appliance.internal.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./powerverse pxe-script}: the iPXE script an operator serves to boot a fleet from a PXE
 * bundle (vmlinuz, initrd.img, root.squashfs): the kernel and initrd from the base URL, the root
 * image's URL with its SHA-256 pinned on the kernel command line (the initrd refuses any other), and
 * the config URL (see docs/fleet.md).
 */
@Command(name = "pxe-script", mixinStandardHelpOptions = true,
    description = "Print the iPXE script that boots a PXE bundle with its root image's SHA-256 pinned.")
final class PxeScriptCommand implements Callable<Integer> {

  static final String KERNEL = "vmlinuz";
  static final String INITRD = "initrd.img";
  static final String ROOT = "root.squashfs";
  /** The appliance's own kernel arguments (IOMMU for VFIO passthrough, consoles), as on disk boots. */
  static final String APPLIANCE_ARGS = "intel_iommu=on amd_iommu=on iommu=pt console=tty0 console=ttyS0,115200n8";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--bundle", required = true, paramLabel = "DIR",
      description = "The PXE bundle: " + KERNEL + ", " + INITRD + ", " + ROOT + " (image-build/out/pxe).")
  Path bundle;

  @Option(names = "--base-url", required = true, paramLabel = "URL",
      description = "Where the bundle's files are served, e.g. http://10.20.0.1/pxe.")
  String baseUrl;

  @Option(names = "--config-url", paramLabel = "TEMPLATE",
      description = "The nodes' config URL; iPXE fills in ${mac}, ${uuid} and ${hostname} from the booting machine.")
  String configUrl;

  @Option(names = "--config-fingerprint", paramLabel = "SHA256", description = "Pin the config server's CA.")
  String configFingerprint;

  @Option(names = "--append", paramLabel = "ARGS", description = "More kernel arguments.")
  String append;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    URI base;
    try {
      base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
    } catch (IllegalArgumentException e) {
      err.println("powerverse: --base-url is not a URL: " + baseUrl);
      return RootCommand.USAGE;
    }
    if (!("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
      err.println("powerverse: --base-url must be http:// or https://HOST/..., got " + baseUrl);
      return RootCommand.USAGE;
    }
    List<String> missing = new ArrayList<>();
    for (String file : new String[] {KERNEL, INITRD, ROOT}) {
      if (!Files.isRegularFile(bundle.resolve(file))) {
        missing.add(file);
      }
    }
    if (!missing.isEmpty()) {
      err.println("powerverse: " + bundle + " is not a PXE bundle: missing " + String.join(", ", missing));
      return RootCommand.USAGE;
    }
    if (configUrl != null && (!configUrl.matches("https?://\\S+") || configUrl.contains("\""))) {
      err.println("powerverse: --config-url must be an http(s) URL without spaces, got " + configUrl);
      return RootCommand.USAGE;
    }
    if (configFingerprint != null) {
      try {
        configFingerprint = org.powerverse.appliance.internal.identity.NodeKeys.normalizeFingerprint(configFingerprint)
            .replace(":", "");
      } catch (IllegalArgumentException e) {
        err.println("powerverse: --config-fingerprint: " + e.getMessage());
        return RootCommand.USAGE;
      }
    }
    String sha256;
    try {
      sha256 = sha256(bundle.resolve(ROOT));
    } catch (IOException e) {
      err.println("powerverse: cannot read " + bundle.resolve(ROOT) + ": " + e.getMessage());
      return RootCommand.FAILED;
    }
    // boot=pvnet: the initrd's network root (image-build/overlay/etc/initramfs-tools/scripts/pvnet),
    // ip=dhcp: initramfs-tools configures the interface before it fetches the root image.
    StringBuilder args = new StringBuilder("initrd=" + INITRD + " boot=pvnet ip=dhcp")
        .append(" pv.root=").append(base.resolve(ROOT))
        .append(" pv.root.sha256=").append(sha256)
        // The interface iPXE booted from, as pxelinux passes it: the node's ${mac} and its uplink.
        .append(" BOOTIF=01-${netX/mac:hexhyp}");
    if (configUrl != null) {
      args.append(" pv.config=").append(configUrl);
      if (configFingerprint != null) {
        args.append(" pv.config.fingerprint=").append(configFingerprint);
      }
    }
    args.append(' ').append(APPLIANCE_ARGS);
    if (append != null && !append.isBlank()) {
      args.append(' ').append(append.strip());
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("#!ipxe");
    out.println("# PowerVerse node PXE boot; made by ./powerverse pxe-script from " + bundle.toAbsolutePath().normalize());
    out.println("# root image " + ROOT + " sha256 " + sha256 + " (the initrd refuses any other)");
    out.println(":retry");
    out.println("dhcp || goto wait");
    out.println("kernel " + base.resolve(KERNEL) + " " + args + " || goto wait");
    out.println("initrd " + base.resolve(INITRD) + " || goto wait");
    out.println("boot || goto wait");
    out.println(":wait");
    out.println("echo PowerVerse: network boot failed; trying again in 10 s");
    out.println("sleep 10");
    out.println("goto retry");
    out.flush();
    return RootCommand.OK;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file);
        OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
      in.transferTo(sink);
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
