package org.powerverse.appliance.internal.boot;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a PXE-booted node gets its config: {@code pv.config=URL} on the kernel command line (as
 * Talos's {@code talos.config=}), with {@code ${mac}}, {@code ${uuid}} and {@code ${hostname}}
 * replaced by this machine's values so one template serves a whole fleet, and optionally
 * {@code pv.config.fingerprint=SHA256} pinning the CA of an HTTPS config server.
 */
public record ConfigUrl(URI uri, Optional<String> caFingerprint) {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z]+)}");
  private static final Pattern MAC = Pattern.compile("(?:[0-9a-f]{2}:){5}[0-9a-f]{2}");

  /** The machine facts a template may use. */
  public record Machine(Optional<String> mac, Optional<String> uuid, Optional<String> hostname) {}

  /** {@code pv.config=} and friends from a kernel command line (/proc/cmdline), if present. */
  public static Optional<ConfigUrl> fromKernelCmdline(String cmdline, Machine machine) {
    Map<String, String> params = parameters(cmdline);
    String template = params.get("pv.config");
    if (template == null || template.isBlank()) {
      return Optional.empty();
    }
    return Optional.of(of(template, params.get("pv.config.fingerprint"), machine));
  }

  /** A config URL from a template; unknown variables and facts this machine lacks are errors. */
  public static ConfigUrl of(String template, String caFingerprint, Machine machine) {
    Matcher m = VARIABLE.matcher(template);
    StringBuilder url = new StringBuilder();
    while (m.find()) {
      String value = switch (m.group(1)) {
        case "mac" -> machine.mac().orElseThrow(() -> missing("mac", "no network interface with a MAC address"));
        case "uuid" -> machine.uuid().orElseThrow(() -> missing("uuid", "no readable SMBIOS product UUID"));
        case "hostname" -> machine.hostname().orElseThrow(() -> missing("hostname", "no host name"));
        default -> throw new IllegalArgumentException("pv.config: unknown variable ${" + m.group(1)
            + "} (known: ${mac}, ${uuid}, ${hostname})");
      };
      m.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)
          .replace("%3A", ":")));
    }
    m.appendTail(url);
    URI uri;
    try {
      uri = URI.create(url.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pv.config: not a URL: " + url, e);
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("pv.config: must be an http:// or https:// URL, got " + uri);
    }
    if (caFingerprint != null && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("pv.config.fingerprint pins a TLS certificate: the URL must be https://");
    }
    return new ConfigUrl(uri, Optional.ofNullable(caFingerprint));
  }

  private static IllegalArgumentException missing(String variable, String why) {
    return new IllegalArgumentException("pv.config uses ${" + variable + "} but this machine has " + why);
  }

  /** key=value words of a kernel command line; the last occurrence wins, as for the kernel. */
  static Map<String, String> parameters(String cmdline) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String word : cmdline.strip().split("\\s+")) {
      int eq = word.indexOf('=');
      if (eq > 0) {
        params.put(word.substring(0, eq), word.substring(eq + 1));
      }
    }
    return params;
  }

  /**
   * This machine's facts from sysfs: the MAC of the interface PXE booted from (iPXE/pxelinux pass
   * {@code BOOTIF=01-aa-bb-…}), else of the first physical interface by name; the SMBIOS UUID.
   */
  public static Machine machine(String cmdline, Path sysRoot, Optional<String> hostname) {
    Optional<String> mac = Optional.empty();
    String bootIf = parameters(cmdline).get("BOOTIF");
    if (bootIf != null && bootIf.matches("01-(?:[0-9a-fA-F]{2}-){5}[0-9a-fA-F]{2}")) {
      mac = Optional.of(bootIf.substring(3).replace('-', ':').toLowerCase(Locale.ROOT));
    }
    if (mac.isEmpty()) {
      mac = firstPhysicalMac(sysRoot.resolve("class/net"));
    }
    Optional<String> uuid = read(sysRoot.resolve("class/dmi/id/product_uuid")).map(u -> u.toLowerCase(Locale.ROOT));
    return new Machine(mac, uuid, hostname);
  }

  private static Optional<String> firstPhysicalMac(Path net) {
    List<Path> interfaces = new ArrayList<>();
    try (var list = Files.list(net)) {
      list.sorted().forEach(interfaces::add);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (Path dev : interfaces) {
      // Physical NICs have a device link; lo, bridges, bonds and virtual ones do not.
      if (!Files.exists(dev.resolve("device"))) {
        continue;
      }
      Optional<String> address = read(dev.resolve("address")).map(a -> a.toLowerCase(Locale.ROOT));
      if (address.isPresent() && MAC.matcher(address.get()).matches() && !address.get().equals("00:00:00:00:00:00")) {
        return address;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
