package org.powerverse.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.powerverse.appliance.internal.cli.PinningTrustManager;

/**
 * The appliance image ({@code image-build/build}) boots in QEMU and is a node: UEFI (OVMF) boot of a
 * copy of {@code image-build/out/powerverse-node-amd64.img}, grown by 512 MiB as a larger disk would
 * be, with an admin token written into the ESP's powerverse.yaml beforehand (mtools, no mounts). QEMU
 * user networking with {@code restrict=on}: the guest reaches nothing; only the API is forwarded.
 * KVM where it works (CPU flags and a test start), else TCG (about a minute or two per boot here).
 * The image is built when missing (as root; CI runs as root and scripts/setup/image.sh installs the
 * tools).
 */
@Tag("e2e")
class ImageBootTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BANNER_FINGERPRINT = Pattern.compile("tls sha-256\\s+([0-9A-F]{2}(?::[0-9A-F]{2}){31})");
  private static final Duration BOOT_TIMEOUT = Duration.ofMinutes(8);
  private static final String OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd";
  private static final String OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd";

  private static Path repo;
  private static Path image;
  private static Path work;

  @BeforeAll
  static void findOrBuildImage() throws Exception {
    repo = Path.of(System.getProperty("powerverse.repo", ".")).toAbsolutePath().normalize();
    work = repo.resolve("tests/target/image-boot");
    Files.createDirectories(work);
    Assumptions.assumeTrue(onPath("qemu-system-x86_64"), "qemu-system-x86_64 is not installed (scripts/setup/image.sh)");
    Assumptions.assumeTrue(Files.isReadable(Path.of(OVMF_CODE)), OVMF_CODE + " is missing (Debian package ovmf)");
    Assumptions.assumeTrue(onPath("mcopy"), "mcopy is not installed (Debian package mtools)");
    image = repo.resolve("image-build/out/powerverse-node-amd64.img");
    if (!Files.isRegularFile(image) || olderThanRecipe(image)) {
      Assumptions.assumeTrue("0".equals(output(List.of("id", "-u")).strip()),
          "building the image (image-build/build) needs root; build it once as root, or run as root as CI does");
      Path log = work.resolve("image-build.log");
      System.out.println("ImageBootTest: building the image (image-build/build, log " + log + ")");
      Process build = new ProcessBuilder(repo.resolve("image-build/build").toString()).directory(repo.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertTrue(build.waitFor(30, TimeUnit.MINUTES), "image-build/build did not finish within 30 minutes");
      assertEquals(0, build.exitValue(), () -> "image-build/build failed:\n" + tail(log, 40));
    }
    assertTrue(Files.isRegularFile(image), "image-build/build should have made " + image);
  }

  @Test
  void uefiBootServesTheApiWithTheBannersIdentityAndKeepsItAcrossReboots() throws Exception {
    Path disk = work.resolve("uefi-disk.img");
    Files.deleteIfExists(disk);
    run(List.of("cp", "--sparse=always", image.toString(), disk.toString()));
    // A larger disk than the image: the data partition grows into it on first boot.
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(file.length() + 512L * 1024 * 1024);
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String token = HexFormat.of().formatHex(secret);
    writeEspConfig(disk, """
        # written by ImageBootTest
        api:
          adminToken: "%s"
        cdn:
          upstreams: []
        geo:
          peers: []
        """.formatted(token));
    Path vars = work.resolve("OVMF_VARS.fd");
    Files.copy(Path.of(OVMF_VARS), vars, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    String firstFingerprint;
    try (Guest guest = Guest.boot(disk, vars, work.resolve("uefi-boot1"))) {
      Booted booted = guest.awaitReady();
      System.out.printf("ImageBootTest: UEFI boot 1 (%s): /readyz 200 after %d s%n", guest.accel, booted.seconds);
      String banner = guest.awaitBannerFingerprint();
      assertEquals(booted.fingerprint, banner, "the console banner shows the certificate the API serves");
      JsonNode host = guest.getJson("/api/v1/host", token);
      assertEquals("powerverse", host.path("hostname").asText(), "GET /api/v1/host answers from inside the image: " + host);
      assertEquals(2, host.path("cpu").path("threads").asInt(), "the guest's 2 vCPUs: " + host);
      firstFingerprint = booted.fingerprint;
      guest.powerOff();
    }

    try (Guest guest = Guest.boot(disk, vars, work.resolve("uefi-boot2"))) {
      Booted booted = guest.awaitReady();
      System.out.printf("ImageBootTest: UEFI boot 2 (%s): /readyz 200 after %d s%n", guest.accel, booted.seconds);
      assertEquals(firstFingerprint, booted.fingerprint, "the node keeps its TLS identity across a reboot (data partition)");
      assertEquals(firstFingerprint, guest.awaitBannerFingerprint(), "the second boot's banner shows the same identity");
      assertEquals(200, guest.get("/api/v1/host", token).statusCode(), "the token from powerverse.yaml still works");
      guest.powerOff();
    }
    Files.deleteIfExists(disk);
  }

  /** A booted guest: when /readyz first answered 200, and the certificate it presented. */
  private record Booted(long seconds, String fingerprint) {}

  /** One QEMU run of the disk, its serial console in a file, the API forwarded to a loopback port. */
  private static final class Guest implements AutoCloseable {
    final Process qemu;
    final Path serial;
    final Path monitor;
    final int port;
    final String accel;
    final long startedNanos = System.nanoTime();
    final PinningTrustManager seen = new PinningTrustManager(null); // records what the API presents
    final HttpClient http;

    private Guest(Process qemu, Path serial, Path monitor, int port, String accel) throws Exception {
      this.qemu = qemu;
      this.serial = serial;
      this.monitor = monitor;
      this.port = port;
      this.accel = accel;
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {seen}, null);
      this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
    }

    static Guest boot(Path disk, Path vars, Path dir) throws Exception {
      Files.createDirectories(dir);
      int port;
      try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        port = socket.getLocalPort();
      }
      Path serial = dir.resolve("serial.log");
      Path monitor = dir.resolve("monitor.sock");
      Files.deleteIfExists(serial);
      Files.deleteIfExists(monitor);
      String accel = kvmUsable() ? "kvm" : "tcg";
      List<String> command = new ArrayList<>(List.of("qemu-system-x86_64", "-machine", "q35", "-m", "2048", "-smp", "2",
          "-nodefaults", "-display", "none", "-no-user-config",
          "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE,
          "-drive", "if=pflash,format=raw,file=" + vars,
          "-drive", "if=virtio,format=raw,cache=unsafe,file=" + disk,
          // restrict=on: the guest reaches nothing outside; only the API port comes in.
          "-netdev", "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:" + port + "-:8443",
          "-device", "virtio-net-pci,netdev=n0",
          "-serial", "file:" + serial,
          "-monitor", "unix:" + monitor + ",server=on,wait=off"));
      command.addAll(accel.equals("kvm") ? List.of("-accel", "kvm", "-cpu", "host")
          : List.of("-accel", "tcg,thread=multi", "-cpu", "max"));
      // Never the test JVM's stdout: that is surefire's channel.
      Process qemu = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("qemu.log").toFile()).start();
      return new Guest(qemu, serial, monitor, port, accel);
    }

    Booted awaitReady() throws Exception {
      long deadline = startedNanos + BOOT_TIMEOUT.toNanos();
      String last = "no answer yet";
      while (System.nanoTime() < deadline) {
        assertTrue(qemu.isAlive(), () -> "QEMU exited with " + qemu.exitValue() + "; serial console:\n" + tail(serial, 60));
        try {
          HttpResponse<String> response = get("/readyz", null);
          if (response.statusCode() == 200) {
            return new Booted(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos), seen.seen());
          }
          last = response.statusCode() + " " + response.body();
        } catch (IOException e) {
          last = e.toString(); // not listening yet (the forward accepts, then the guest resets)
        }
        Thread.sleep(2000);
      }
      throw new AssertionError("/readyz not 200 within " + BOOT_TIMEOUT + " (" + accel + "); last: " + last
          + "\nserial console:\n" + tail(serial, 80));
    }

    String awaitBannerFingerprint() throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (System.nanoTime() < deadline) {
        String text = Files.readString(serial, StandardCharsets.ISO_8859_1);
        Matcher m = BANNER_FINGERPRINT.matcher(text);
        String found = null;
        while (m.find()) {
          found = m.group(1); // the latest banner
        }
        if (found != null) {
          return found;
        }
        Thread.sleep(1000);
      }
      throw new AssertionError("no console banner with a TLS fingerprint on the serial console:\n" + tail(serial, 60));
    }

    HttpResponse<String> get(String path, String token) throws Exception {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(30));
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path, String token) throws Exception {
      HttpResponse<String> response = get(path, token);
      assertEquals(200, response.statusCode(), () -> "GET " + path + ": " + response.body());
      return JSON.readTree(response.body());
    }

    /** ACPI power button (systemd shuts down cleanly); a hard stop only when that does not end it. */
    void powerOff() throws Exception {
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(monitor));
        OutputStream out = Channels.newOutputStream(channel);
        out.write("system_powerdown\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (!qemu.waitFor(180, TimeUnit.SECONDS)) {
          System.out.println("ImageBootTest: the guest did not power off within 180 s; stopping QEMU");
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      qemu.destroy();
      if (!qemu.waitFor(10, TimeUnit.SECONDS)) {
        qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * KVM only where the CPU has vmx/svm and a guest really starts: /dev/kvm alone is not enough (a
   * paravirtual nested KVM aborts ordinary guests; /work/shared/notes/image-build.md).
   */
  private static boolean kvmUsable() throws Exception {
    Path kvm = Path.of("/dev/kvm");
    String cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
    if (!Files.isWritable(kvm) || !Pattern.compile("\\b(vmx|svm)\\b").matcher(cpuinfo).find()) {
      return false;
    }
    Process probe = new ProcessBuilder("qemu-system-x86_64", "-machine", "q35", "-accel", "kvm", "-cpu", "host",
        "-m", "128", "-nodefaults", "-display", "none", "-no-user-config")
        .redirectErrorStream(true).redirectOutput(work.resolve("kvm-probe.log").toFile()).start();
    boolean exited = probe.waitFor(5, TimeUnit.SECONDS); // alive after 5 s: the vCPU runs
    probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    return !exited;
  }

  /**
   * Replaces powerverse.yaml on the image's ESP (the GPT partition named "esp"): mtools writes into
   * the FAT at its byte offset in the image, no mount or loop device needed.
   */
  private static void writeEspConfig(Path disk, String yaml) throws Exception {
    long offset = partitionOffset(disk, "esp");
    Path file = work.resolve("powerverse.yaml");
    Files.writeString(file, yaml);
    run(List.of("env", "MTOOLS_SKIP_CHECK=1", "mcopy", "-o", "-i", disk + "@@" + offset, file.toString(), "::/powerverse.yaml"));
  }

  /** Byte offset of the GPT partition with the given name (UEFI spec §5.3: header LBA 1, 128-byte entries). */
  static long partitionOffset(Path disk, String name) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "r")) {
      ByteBuffer header = read(file, 512, 92);
      assertEquals("EFI PART", new String(header.array(), 0, 8, StandardCharsets.US_ASCII), "GPT header of " + disk);
      long entriesLba = header.getLong(72);
      int count = header.getInt(80);
      int size = header.getInt(84);
      for (int i = 0; i < count; i++) {
        ByteBuffer entry = read(file, entriesLba * 512 + (long) i * size, size);
        String label = new String(entry.array(), 56, 72, StandardCharsets.UTF_16LE).replace("\0", "");
        if (label.equals(name)) {
          return entry.getLong(32) * 512;
        }
      }
    }
    throw new AssertionError("no GPT partition named " + name + " in " + disk);
  }

  private static ByteBuffer read(RandomAccessFile file, long at, int length) throws IOException {
    byte[] bytes = new byte[length];
    file.seek(at);
    file.readFully(bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** True when a file of the recipe (image-build/, not its outputs) is newer than the image. */
  private static boolean olderThanRecipe(Path image) throws IOException {
    FileTime built = Files.getLastModifiedTime(image);
    Path recipe = repo.resolve("image-build");
    try (Stream<Path> files = Files.walk(recipe)) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.startsWith(recipe.resolve("out")) && !f.startsWith(recipe.resolve("work")))
          .anyMatch(f -> {
            try {
              return Files.getLastModifiedTime(f).compareTo(built) > 0;
            } catch (IOException e) {
              return true;
            }
          });
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
  }

  private static void run(List<String> command) throws Exception {
    Path log = Files.createTempFile(work, "cmd", ".log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
    assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + tail(log, 20));
    Files.deleteIfExists(log);
  }

  private static String output(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(1, TimeUnit.MINUTES);
    return text;
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(" + file + " unreadable: " + e + ")";
    }
  }
}
