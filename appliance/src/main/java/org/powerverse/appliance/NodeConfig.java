package org.powerverse.appliance;

import org.powerverse.cdn.CdnConfig;
import org.powerverse.chain.ChainConfig;
import org.powerverse.geo.GeoConfig;
import org.powerverse.hypervisor.HypervisorConfig;
import org.powerverse.hypervisor.VmsConfig;
import org.powerverse.platform.Check;
import org.powerverse.platform.Doc;

/**
 * The one config file (powerverse.yaml): a section per part of the node. Every key has a default,
 * so an empty file (or none) gives a node that runs; an unknown key or a bad value stops start-up
 * naming the key's path. docs/configuration.md is generated from these records.
 */
public record NodeConfig(
    @Doc("The node itself.") NodeSection node,
    @Doc("The REST API (HTTPS with bearer tokens).") ApiConfig api,
    @Doc("Logging.") LogConfig log,
    @Doc("The hypervisor: libvirt, host inventory and benchmarks.") HypervisorConfig hypervisor,
    @Doc("The provider side of the market: how this node's resources are scored.") ProviderConfig provider,
    @Doc("The content cache (IPFS-compatible blockstore and trustless gateway).") CdnConfig cdn,
    @Doc("The node's location and its signed announcements to peers.") GeoConfig geo,
    @Doc("The PowerVerse chain node: ledger, JSON-RPC and block production.") ChainConfig chain,
    @Doc("The appliance's A/B system slots and signed updates (docs/updates.md).") SystemConfig system,
    @Doc("Tenant VMs: memory admission, reconciliation with libvirt, shutdown (docs/vms.md).") VmsConfig vms) {

  public NodeConfig {
    node = Check.orDefault(node, new NodeSection(null, null));
    api = Check.orDefault(api, new ApiConfig(null, null, null, null, null, null));
    log = Check.orDefault(log, new LogConfig(null, null));
    hypervisor = Check.orDefault(hypervisor, new HypervisorConfig(null, null, null, null, null, null, null, null, null));
    provider = Check.orDefault(provider, new ProviderConfig(null));
    cdn = Check.orDefault(cdn, CdnConfig.defaults());
    geo = Check.orDefault(geo, GeoConfig.defaults());
    chain = Check.orDefault(chain, ChainConfig.defaults());
    system = Check.orDefault(system, SystemConfig.defaults());
    vms = Check.orDefault(vms, new VmsConfig(null, null, null, null));
  }

  public NodeConfig withApi(ApiConfig newApi) {
    return new NodeConfig(node, newApi, log, hypervisor, provider, cdn, geo, chain, system, vms);
  }

  public NodeConfig withHypervisor(HypervisorConfig newHypervisor) {
    return new NodeConfig(node, api, log, newHypervisor, provider, cdn, geo, chain, system, vms);
  }

  public NodeConfig withCdn(CdnConfig newCdn) {
    return new NodeConfig(node, api, log, hypervisor, provider, newCdn, geo, chain, system, vms);
  }

  public NodeConfig withGeo(GeoConfig newGeo) {
    return new NodeConfig(node, api, log, hypervisor, provider, cdn, newGeo, chain, system, vms);
  }

  public NodeConfig withChain(ChainConfig newChain) {
    return new NodeConfig(node, api, log, hypervisor, provider, cdn, geo, newChain, system, vms);
  }

  public NodeConfig withSystem(SystemConfig newSystem) {
    return new NodeConfig(node, api, log, hypervisor, provider, cdn, geo, chain, newSystem, vms);
  }

  public NodeConfig withVms(VmsConfig newVms) {
    return new NodeConfig(node, api, log, hypervisor, provider, cdn, geo, chain, system, newVms);
  }

  /** The {@code node} section. */
  public record NodeSection(
      @Doc("A name for operators and fleet tools; the hostname when unset.") String name,
      @Doc("The chain id of the node's account DID (`did:pkh:eip155:<chainId>:<address>`), until the chain's genesis sets it.")
          Long chainId) {

    /** 0x5057, "PW": not taken on the public chain lists. */
    public static final long DEFAULT_CHAIN_ID = 20567;

    public NodeSection {
      if (name != null) {
        Check.that(name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}"), "name",
            "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit, got \"" + name + "\"");
      }
      chainId = Check.range("chainId", Check.orDefault(chainId, DEFAULT_CHAIN_ID), 1, Long.MAX_VALUE / 2);
    }
  }

  /** The {@code api} section. */
  public record ApiConfig(
      @Doc("HTTPS port of the API; 0 picks a free port and prints it (`--api-port` overrides).") Integer port,
      @Doc("Address the API listens on; 0.0.0.0 is every interface.") String bindAddress,
      @Doc("The admin bearer token; when unset one is generated into DATA/admin.token (mode 0600). Keep a config holding it 0600.")
          String adminToken,
      @Doc("Largest request body the API accepts, in bytes; larger ones get 413.") Long maxBodyBytes,
      @Doc("Whether GET /metrics needs a token (any role).") Boolean metricsRequireAuth,
      @Doc("Seconds a shutdown waits for requests in flight before closing their connections.") Integer shutdownGraceSeconds) {

    public static final int DEFAULT_PORT = 8443;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
    public static final int DEFAULT_SHUTDOWN_GRACE_SECONDS = 5;

    public ApiConfig {
      port = Check.range("port", Check.orDefault(port, DEFAULT_PORT), 0, 65535);
      bindAddress = Check.nonBlank("bindAddress", Check.orDefault(bindAddress, DEFAULT_BIND_ADDRESS));
      if (adminToken != null) {
        Check.that(adminToken.length() >= 32 && adminToken.chars().allMatch(c -> c > 32 && c < 127), "adminToken",
            "must be at least 32 printable characters without spaces (use `openssl rand -base64 32`)");
      }
      maxBodyBytes = Check.range("maxBodyBytes", Check.orDefault(maxBodyBytes, DEFAULT_MAX_BODY_BYTES), 1024, 1L << 30);
      metricsRequireAuth = Check.orDefault(metricsRequireAuth, true);
      shutdownGraceSeconds = Check.range("shutdownGraceSeconds",
          Check.orDefault(shutdownGraceSeconds, DEFAULT_SHUTDOWN_GRACE_SECONDS), 0, 8);
    }

    public ApiConfig withPort(int newPort) {
      return new ApiConfig(newPort, bindAddress, adminToken, maxBodyBytes, metricsRequireAuth, shutdownGraceSeconds);
    }

    @Override
    public String toString() {
      // The token stays out of logs and error messages.
      return "ApiConfig[port=" + port + ", bindAddress=" + bindAddress + ", adminToken="
          + (adminToken == null ? "unset" : "set") + ", maxBodyBytes=" + maxBodyBytes + "]";
    }
  }

  /** The {@code log} section. */
  public record LogConfig(
      @Doc("json: one JSON object per line; text: readable lines; auto: text on a terminal, else json.") Format format,
      @Doc("Least severe level logged.") Level level) {

    /** How log lines look. */
    public enum Format { auto, json, text }

    /** Log levels, least to most severe. */
    public enum Level { trace, debug, info, warn, error }

    public LogConfig {
      format = Check.orDefault(format, Format.auto);
      level = Check.orDefault(level, Level.info);
    }
  }

  /** The {@code provider} section. */
  public record ProviderConfig(@Doc("The computing-power score (whitepaper, Market: resource scoring).") ScoreConfig score) {
    public ProviderConfig {
      score = Check.orDefault(score, new ScoreConfig(null, null, null));
    }
  }

  /**
   * The {@code system} section: where the A/B slots of the appliance image are and which keys may
   * sign updates. The defaults are the image's layout (docs/image.md); a node not booted from it
   * (no {@code pv.slot=} on its kernel command line) reports updates as unavailable.
   */
  public record SystemConfig(
      @Doc("Ed25519 public keys (64 hex digits) whose signatures on update bundles are trusted, besides those in updateKeysFile.")
          java.util.List<String> updateKeys,
      @Doc("A file of trusted update keys, one per line (64 hex digits; # comments); the image pins its build key here. Absent is no keys.")
          String updateKeysFile,
      @Doc("GRUB's environment block holding slot order, state and boot attempts (on the ESP).") String bootEnv,
      @Doc("Slot A: the root partition (block device or file) and the ESP directory of its kernel and initrd.") Slot slotA,
      @Doc("Slot B: the root partition (block device or file) and the ESP directory of its kernel and initrd.") Slot slotB,
      @Doc("Seconds a slot on trial has to become ready (/readyz) before the node reboots to count a failed boot.")
          Integer trialTimeoutSeconds,
      @Doc("The command that reboots the machine (POST /api/v1/system/reboot and a failed trial).")
          java.util.List<String> rebootCommand,
      @Doc("Where the kernel command line is read (pv.slot= names the booted slot); tests point it at a file.")
          String kernelCmdline) {

    public static final String DEFAULT_UPDATE_KEYS_FILE = "/etc/powerverse/update-keys";
    public static final String DEFAULT_BOOT_ENV = "/boot/efi/grub/grubenv";
    public static final int DEFAULT_TRIAL_TIMEOUT_SECONDS = 600;
    public static final int MAX_UPDATE_KEYS = 16;

    public SystemConfig {
      updateKeys = java.util.List.copyOf(Check.maxSize("updateKeys", Check.orDefault(updateKeys, java.util.List.of()),
          MAX_UPDATE_KEYS));
      for (int i = 0; i < updateKeys.size(); i++) {
        Check.that(updateKeys.get(i).matches("[0-9a-fA-F]{64}"), "updateKeys[" + i + "]",
            "expected an Ed25519 public key as 64 hex digits, got \"" + updateKeys.get(i) + "\"");
      }
      updateKeysFile = Check.nonBlank("updateKeysFile", Check.orDefault(updateKeysFile, DEFAULT_UPDATE_KEYS_FILE));
      bootEnv = Check.nonBlank("bootEnv", Check.orDefault(bootEnv, DEFAULT_BOOT_ENV));
      slotA = Check.orDefault(slotA, new Slot("/dev/disk/by-partlabel/root-a", "/boot/efi/slot-a"));
      slotB = Check.orDefault(slotB, new Slot("/dev/disk/by-partlabel/root-b", "/boot/efi/slot-b"));
      trialTimeoutSeconds = Check.range("trialTimeoutSeconds",
          Check.orDefault(trialTimeoutSeconds, DEFAULT_TRIAL_TIMEOUT_SECONDS), 30, 86_400);
      rebootCommand = java.util.List.copyOf(Check.orDefault(rebootCommand, java.util.List.of("systemctl", "reboot")));
      Check.that(!rebootCommand.isEmpty(), "rebootCommand", "must name a program");
      kernelCmdline = Check.nonBlank("kernelCmdline", Check.orDefault(kernelCmdline, "/proc/cmdline"));
    }

    public static SystemConfig defaults() {
      return new SystemConfig(null, null, null, null, null, null, null, null);
    }

    /** One A/B slot. */
    public record Slot(
        @Doc("The root file system's partition (a block device, or a file in tests).") String root,
        @Doc("The directory on the ESP holding this slot's vmlinuz and initrd.img.") String bootDir) {
      public Slot {
        root = Check.nonBlank("root", root);
        bootDir = Check.nonBlank("bootDir", bootDir);
      }
    }
  }
}
