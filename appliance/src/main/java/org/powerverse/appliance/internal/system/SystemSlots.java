package org.powerverse.appliance.internal.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.powerverse.appliance.NodeConfig.SystemConfig;
import org.powerverse.appliance.internal.system.UpdateBundle.BundleException;
import org.powerverse.appliance.internal.system.UpdateBundle.Manifest;
import org.powerverse.appliance.internal.system.UpdateBundle.Payload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The appliance's two system slots (A/B, as RAUC and Home Assistant OS keep them) and their state in
 * GRUB's environment block, which the boot loader and the supervisor share:
 * <ul>
 *   <li>GRUB (image-build/ab/grub-ab.cfg) boots the first slot in {@code ORDER} whose {@code X_OK} is 1
 *       and {@code X_TRY} below {@link #MAX_BOOT_ATTEMPTS}, counting the attempt in {@code X_TRY}
 *       before it boots, and passes {@code pv.slot=X} to the kernel;</li>
 *   <li>the supervisor, once ready, marks the booted slot good ({@code X_TRY=0}); a slot whose trial
 *       used up its attempts without that is failed, and GRUB has gone back to the other;</li>
 *   <li>an update is written to the slot not booted; the slot is taken out of the boot order
 *       ({@code X_OK=0}) before its first byte is written and put first only when every payload
 *       matched the signed manifest.</li>
 * </ul>
 * {@code X_STATE} (empty, installing, pending, good, failed, bad) and {@code X_VERSION} are for
 * people and this class; GRUB reads only ORDER, X_OK and X_TRY.
 */
public final class SystemSlots {

  private static final Logger LOG = LoggerFactory.getLogger(SystemSlots.class);

  /** Boots a slot on trial gets before GRUB falls back to the other (the issue's 3). */
  public static final int MAX_BOOT_ATTEMPTS = 3;

  static final String KERNEL = "vmlinuz";
  static final String INITRD = "initrd.img";

  /** A slot's name, as GRUB's variables and {@code pv.slot=} spell it. */
  public enum Name {
    A, B;

    Name other() {
      return this == A ? B : A;
    }
  }

  /** What a slot holds, as people read it. */
  public enum State { empty, installing, pending, good, failed, bad }

  /** One slot as {@code GET /api/v1/system} shows it. */
  public record SlotStatus(String name, State state, String version, boolean booted, int bootAttemptsLeft) {}

  /** The system as {@code GET /api/v1/system} shows it. */
  public record Status(String version, boolean updatesAvailable, String unavailableReason, String bootedSlot,
      String nextBoot, List<SlotStatus> slots) {}

  /** What an accepted update wrote. */
  public record Installed(String slot, String version, String createdAt, long bytes, List<Payload> payloads) {}

  /** A bundle whose signed payloads do not fit a slot (a role missing or unknown, too big). */
  public static final class SlotRefusal extends IOException {
    SlotRefusal(String message) {
      super(message);
    }
  }

  private final SystemConfig config;
  private final String runningVersion;
  private final ReentrantLock installing = new ReentrantLock();

  /** Read once: the kernel command line does not change while this process runs. */
  private final Optional<Name> booted;

  public SystemSlots(SystemConfig config, String runningVersion) {
    this.config = config;
    this.runningVersion = runningVersion;
    this.booted = readBootedSlot(Path.of(config.kernelCmdline()));
  }

  /** The slot the kernel says it booted from ({@code pv.slot=A|B}); empty when not an A/B boot. */
  public Optional<Name> bootedSlot() {
    return booted;
  }

  private static Optional<Name> readBootedSlot(Path cmdline) {
    try {
      for (String arg : Files.readString(cmdline).trim().split("\\s+")) {
        if (arg.startsWith("pv.slot=")) {
          String value = arg.substring("pv.slot=".length()).toUpperCase(Locale.ROOT);
          return value.equals("A") || value.equals("B") ? Optional.of(Name.valueOf(value)) : Optional.empty();
        }
      }
    } catch (IOException e) {
      LOG.atDebug().setCause(e).addKeyValue("file", cmdline.toString()).log("kernel command line unreadable");
    }
    return Optional.empty();
  }

  /** Why updates cannot be applied here, or empty when they can. */
  public Optional<String> unavailableReason() {
    if (bootedSlot().isEmpty()) {
      return Optional.of("this node did not boot from the A/B appliance image (no pv.slot= on the kernel command line "
          + config.kernelCmdline() + ")");
    }
    Path env = Path.of(config.bootEnv());
    if (!Files.isRegularFile(env)) {
      return Optional.of("the boot loader's environment " + env + " is missing");
    }
    try {
      GrubEnv.read(env);
    } catch (IOException e) {
      return Optional.of("the boot loader's environment " + env + " is unreadable: " + e.getMessage());
    }
    return Optional.empty();
  }

  public Status status() throws IOException {
    Optional<String> unavailable = unavailableReason();
    if (unavailable.isPresent()) {
      return new Status(runningVersion, false, unavailable.get(), booted.map(Name::name).orElse(null), null, List.of());
    }
    GrubEnv env = GrubEnv.read(Path.of(config.bootEnv()));
    List<SlotStatus> slots = new ArrayList<>();
    for (Name slot : Name.values()) {
      int tries = tries(env, slot);
      slots.add(new SlotStatus(slot.name(), state(env, slot), env.get(slot + "_VERSION"), booted.get() == slot,
          ok(env, slot) ? Math.max(0, MAX_BOOT_ATTEMPTS - tries) : 0));
    }
    return new Status(runningVersion, true, null, booted.get().name(), nextBoot(env).map(Name::name).orElse(null), slots);
  }

  /** The slot GRUB will boot next, by the same rule as its script. */
  static Optional<Name> nextBoot(GrubEnv env) {
    for (Name slot : order(env)) {
      if (ok(env, slot) && tries(env, slot) < MAX_BOOT_ATTEMPTS) {
        return Optional.of(slot);
      }
    }
    return Optional.empty();
  }

  /** Whether the booted slot is on trial (its first boots after an update, not yet marked good). */
  public boolean onTrial() throws IOException {
    if (booted.isEmpty() || unavailableReason().isPresent()) {
      return false;
    }
    return state(GrubEnv.read(Path.of(config.bootEnv())), booted.get()) == State.pending;
  }

  /**
   * Called once the supervisor is ready: the booted slot is good and its attempts are reset; an
   * updated slot that GRUB gave up on (attempts used, never marked good) is failed and leaves the
   * boot order. A no-op when not booted from the A/B image.
   */
  public void markBootedGood() throws IOException {
    if (booted.isEmpty() || unavailableReason().isPresent()) {
      return;
    }
    installing.lock();
    try {
      Path file = Path.of(config.bootEnv());
      GrubEnv env = GrubEnv.read(file);
      Name slot = booted.get();
      Name other = slot.other();
      java.util.Map<String, String> before = java.util.Map.copyOf(env.asMap());
      if (state(env, slot) == State.pending) {
        LOG.atInfo().addKeyValue("slot", slot.name()).addKeyValue("version", env.get(slot + "_VERSION"))
            .log("the updated slot booted and is ready: marked good");
      }
      env.set(slot + "_OK", "1").set(slot + "_TRY", "0").set(slot + "_STATE", State.good.name());
      if (state(env, other) == State.pending && tries(env, other) >= MAX_BOOT_ATTEMPTS) {
        LOG.atWarn().addKeyValue("slot", other.name()).addKeyValue("version", env.get(other + "_VERSION"))
            .log("the updated slot failed " + MAX_BOOT_ATTEMPTS + " boots; rolled back to slot " + slot);
        env.set(other + "_OK", "0").set(other + "_STATE", State.failed.name());
      }
      if (state(env, other) != State.pending) {
        env.set("ORDER", slot + " " + other);
      }
      if (!before.equals(env.asMap())) {
        env.write(file);
      }
    } finally {
      installing.unlock();
    }
  }

  /**
   * Verifies a bundle while writing it to the slot not booted; on success that slot boots next, on
   * trial. {@code progress} receives the bundle bytes read so far. Signature, compatibility and
   * version are checked before the slot is touched; a refusal after that leaves the slot out of the
   * boot order, its state {@code bad}, and no new kernel or initrd.
   *
   * @throws IllegalStateException when updates are unavailable here or another update is running
   */
  public Installed install(InputStream bundle, List<byte[]> trustedKeys, LongConsumer progress)
      throws BundleException, IOException {
    Optional<String> unavailable = unavailableReason();
    if (unavailable.isPresent()) {
      throw new IllegalStateException(unavailable.get());
    }
    if (!installing.tryLock()) {
      throw new IllegalStateException("another update is being written");
    }
    try {
      Name target = bootedSlot().orElseThrow().other();
      CountingInputStream counted = new CountingInputStream(bundle, progress);
      SlotWriter writer = new SlotWriter(target);
      // A development build ("dev") has no order: any signed bundle replaces it.
      String installed = runningVersion.matches("\\d.*") ? runningVersion : null;
      Manifest manifest = UpdateBundle.verify(counted, trustedKeys, installed, writer);
      try {
        writer.finish(manifest);
      } catch (IOException | RuntimeException e) {
        writer.abort();
        throw e;
      }
      return new Installed(target.name(), manifest.version(), manifest.createdAt(), counted.count(), manifest.payloads());
    } finally {
      installing.unlock();
    }
  }

  /** The trusted update keys: {@code system.updateKeys} and the lines of {@code system.updateKeysFile}. */
  public List<byte[]> trustedKeys() throws IOException {
    List<byte[]> keys = new ArrayList<>();
    for (String hex : config.updateKeys()) {
      keys.add(HexFormat.of().parseHex(hex));
    }
    try {
      List<String> lines = Files.readAllLines(Path.of(config.updateKeysFile()));
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (!line.matches("[0-9a-fA-F]{64}")) {
          throw new IOException(config.updateKeysFile() + " line " + (i + 1)
              + ": expected an Ed25519 public key as 64 hex digits");
        }
        keys.add(HexFormat.of().parseHex(line));
      }
    } catch (NoSuchFileException e) {
      // no pinned key file: only the configured keys
    }
    return keys;
  }

  private SystemConfig.Slot slotConfig(Name slot) {
    return slot == Name.A ? config.slotA() : config.slotB();
  }

  private static List<Name> order(GrubEnv env) {
    List<Name> order = new ArrayList<>();
    for (String token : env.get("ORDER", "A B").trim().split("\\s+")) {
      if ((token.equals("A") || token.equals("B")) && !order.contains(Name.valueOf(token))) {
        order.add(Name.valueOf(token));
      }
    }
    return order;
  }

  private static boolean ok(GrubEnv env, Name slot) {
    return "1".equals(env.get(slot + "_OK"));
  }

  private static int tries(GrubEnv env, Name slot) {
    try {
      return Integer.parseInt(env.get(slot + "_TRY", "0"));
    } catch (NumberFormatException e) {
      return MAX_BOOT_ATTEMPTS; // GRUB's own test would not take it either: treat as used up
    }
  }

  static State state(GrubEnv env, Name slot) {
    String value = env.get(slot + "_STATE");
    if (value == null) {
      return ok(env, slot) ? State.good : State.empty;
    }
    try {
      return State.valueOf(value);
    } catch (IllegalArgumentException e) {
      return State.bad;
    }
  }

  /** Receives the verified payloads: the root image onto the slot's partition, kernel and initrd beside. */
  private final class SlotWriter implements UpdateBundle.PayloadSink {
    private final Name slot;
    private final Path root;
    private final Path bootDir;
    private final List<Path> staged = new ArrayList<>();
    private final Set<String> roles = new java.util.HashSet<>();
    private boolean slotTouched;

    SlotWriter(Name slot) {
      this.slot = slot;
      this.root = Path.of(slotConfig(slot).root());
      this.bootDir = Path.of(slotConfig(slot).bootDir());
    }

    @Override
    public OutputStream open(Payload payload) throws IOException {
      if (!roles.add(payload.role())) {
        throw new SlotRefusal("the bundle has two " + payload.role() + " payloads");
      }
      if (!slotTouched) {
        // Out of the boot order before the first byte: a cut power or a refusal never boots it.
        Path file = Path.of(config.bootEnv());
        GrubEnv env = GrubEnv.read(file);
        env.set(slot + "_OK", "0").set(slot + "_TRY", "0").set(slot + "_STATE", State.installing.name())
            .remove(slot + "_VERSION").set("ORDER", slot.other() + " " + slot);
        env.write(file);
        slotTouched = true;
      }
      return switch (payload.role()) {
        case "rootfs" -> openRoot(payload.size());
        case "kernel" -> stage(KERNEL);
        case "initrd" -> stage(INITRD);
        default -> throw new SlotRefusal("a slot takes rootfs, kernel and initrd payloads, not " + payload.role());
      };
    }

    private OutputStream openRoot(long size) throws IOException {
      boolean regular = !Files.exists(root) || Files.isRegularFile(root);
      if (!regular) {
        long capacity = blockDeviceBytes(root);
        if (capacity > 0 && size > capacity) {
          throw new SlotRefusal("the root image is " + size + " bytes; slot " + slot + "'s partition " + root
              + " holds " + capacity);
        }
      }
      Set<StandardOpenOption> options = regular
          ? EnumSet.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
          : EnumSet.of(StandardOpenOption.WRITE);
      FileChannel channel = FileChannel.open(root, options);
      return new java.io.FilterOutputStream(Channels.newOutputStream(channel)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
          try {
            channel.force(true);
          } finally {
            super.close();
          }
        }
      };
    }

    private OutputStream stage(String name) throws IOException {
      Files.createDirectories(bootDir);
      Path partial = bootDir.resolve(name + ".partial");
      staged.add(partial);
      return Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Override
    public void commit(Payload payload) {
      // Kept staged until the whole bundle checked out (finish); nothing boots from here yet.
    }

    /** Every payload matched: the kernel and initrd take their places and the slot boots next, on trial. */
    void finish(Manifest manifest) throws IOException {
      for (String role : List.of("rootfs", "kernel", "initrd")) {
        if (!roles.contains(role)) {
          throw new SlotRefusal("the bundle has no " + role + " payload; a slot needs rootfs, kernel and initrd");
        }
      }
      for (Path partial : staged) {
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        String name = partial.getFileName().toString();
        Files.move(partial, partial.resolveSibling(name.substring(0, name.length() - ".partial".length())),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      staged.clear();
      Path file = Path.of(config.bootEnv());
      GrubEnv env = GrubEnv.read(file);
      env.set(slot + "_VERSION", manifest.version()).set(slot + "_TRY", "0").set(slot + "_STATE", State.pending.name())
          .set(slot + "_OK", "1").set("ORDER", slot + " " + slot.other());
      env.write(file);
      LOG.atInfo().addKeyValue("slot", slot.name()).addKeyValue("version", manifest.version())
          .log("update written; the slot boots next, on trial");
    }

    @Override
    public void abort() {
      for (Path partial : staged) {
        try {
          Files.deleteIfExists(partial);
        } catch (IOException e) {
          LOG.atWarn().setCause(e).addKeyValue("file", partial.toString()).log("could not remove a refused payload");
        }
      }
      staged.clear();
      if (slotTouched) {
        try {
          Path file = Path.of(config.bootEnv());
          GrubEnv env = GrubEnv.read(file);
          env.set(slot + "_OK", "0").set(slot + "_STATE", State.bad.name()).remove(slot + "_VERSION");
          env.write(file);
        } catch (IOException e) {
          LOG.atError().setCause(e).log("could not record the refused slot as bad; it stays out of the boot order");
        }
      }
    }
  }

  /** A block device's size from sysfs (st_size of a device node is 0); 0 when unknown. */
  static long blockDeviceBytes(Path device) {
    try {
      Path real = device.toRealPath();
      Path sectors = Path.of("/sys/class/block", real.getFileName().toString(), "size");
      return Long.parseLong(Files.readString(sectors).trim()) * 512;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
