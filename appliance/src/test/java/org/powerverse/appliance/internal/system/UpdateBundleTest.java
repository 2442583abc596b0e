package org.powerverse.appliance.internal.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.appliance.internal.system.UpdateBundle.BundleException;
import org.powerverse.appliance.internal.system.UpdateBundle.BundleException.Reason;

class UpdateBundleTest {

  private static final Instant CREATED = Instant.parse("2026-11-25T00:00:00Z");

  @TempDir Path dir;
  private final Random random = new Random(20261125);
  private final Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
  private final Ed25519PrivateKeyParameters otherKey = new Ed25519PrivateKeyParameters(new java.security.SecureRandom());
  private final Map<String, byte[]> contents = new LinkedHashMap<>();
  private List<UpdateBundle.Source> sources;

  @BeforeEach
  void payloads() throws IOException {
    // A root image over a tar block and a buffer size, an empty initrd edge case, a kernel.
    contents.put("rootfs", bytes(3 * 1024 * 1024 + 17));
    contents.put("kernel", bytes(511));
    contents.put("initrd", new byte[0]);
    sources = new ArrayList<>();
    for (var e : contents.entrySet()) {
      Path file = dir.resolve(e.getKey() + ".bin");
      Files.write(file, e.getValue());
      sources.add(new UpdateBundle.Source(e.getKey(), file));
    }
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private byte[] bundle(String version) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UpdateBundle.create(out, key, version, CREATED, sources);
    return out.toByteArray();
  }

  /** Collects payloads as a slot writer would; keeps what was committed, drops all on abort. */
  static final class Collecting implements UpdateBundle.PayloadSink {
    final Map<String, ByteArrayOutputStream> open = new LinkedHashMap<>();
    final Map<String, byte[]> committed = new LinkedHashMap<>();
    boolean aborted;

    @Override
    public OutputStream open(UpdateBundle.Payload payload) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      open.put(payload.role(), out);
      return out;
    }

    @Override
    public void commit(UpdateBundle.Payload payload) {
      committed.put(payload.role(), open.get(payload.role()).toByteArray());
    }

    @Override
    public void abort() {
      aborted = true;
      committed.clear();
      open.clear();
    }
  }

  private UpdateBundle.Manifest verify(byte[] bundle, Collecting sink, String installed) throws Exception {
    return UpdateBundle.verify(new ByteArrayInputStream(bundle), List.of(key.generatePublicKey().getEncoded()),
        installed, sink);
  }

  private BundleException refused(byte[] bundle, String installed, Reason reason) {
    Collecting sink = new Collecting();
    BundleException e = assertThrows(BundleException.class, () -> verify(bundle, sink, installed));
    assertEquals(reason, e.reason, e.getMessage());
    assertTrue(sink.aborted && sink.committed.isEmpty(), "nothing is kept from a refused bundle");
    return e;
  }

  @Test
  void aSignedBundleDeliversEveryPayloadByteForByte() throws Exception {
    Collecting sink = new Collecting();
    UpdateBundle.Manifest manifest = verify(bundle("0.2.0"), sink, "0.1.0");
    assertEquals("0.2.0", manifest.version());
    assertEquals(List.of("rootfs", "kernel", "initrd"), manifest.payloads().stream().map(UpdateBundle.Payload::role).toList());
    for (var e : contents.entrySet()) {
      assertArrayEquals(e.getValue(), sink.committed.get(e.getKey()), e.getKey());
    }
    assertTrue(!sink.aborted);
  }

  @Test
  void theSameInputsGiveTheSameBundle() throws Exception {
    assertArrayEquals(bundle("0.2.0"), bundle("0.2.0"), "reproducible: no clock, no random in the archive");
  }

  @Test
  void gnuTarAndTheJdksEd25519ReadWhatWeWrite() throws Exception {
    // Oracles no one here wrote: GNU tar lists and extracts the archive; the JDK's own Ed25519
    // (SunEC) verifies the signature over the extracted manifest.
    Path file = dir.resolve("b.pvbundle");
    Files.write(file, bundle("0.2.0"));
    Process list = new ProcessBuilder("tar", "-tf", file.toString()).redirectErrorStream(true).start();
    String listing = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, list.waitFor(), listing);
    assertEquals(List.of("manifest.json", "manifest.sig", "rootfs.bin", "kernel.bin", "initrd.bin"), listing.lines().toList());
    Path out = Files.createDirectory(dir.resolve("x"));
    assertEquals(0, new ProcessBuilder("tar", "-xf", file.toString(), "-C", out.toString()).start().waitFor());
    assertArrayEquals(contents.get("rootfs"), Files.readAllBytes(out.resolve("rootfs.bin")));

    byte[] spki = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed25519),
        key.generatePublicKey().getEncoded()).getEncoded();
    Signature jdk = Signature.getInstance("Ed25519", "SunEC");
    jdk.initVerify(KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new java.security.spec.X509EncodedKeySpec(spki)));
    jdk.update(Files.readAllBytes(out.resolve("manifest.json")));
    assertTrue(jdk.verify(Files.readAllBytes(out.resolve("manifest.sig"))));
  }

  @Test
  void aBundleSignedByAKeyNotPinnedIsRefused() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    UpdateBundle.create(out, otherKey, "0.2.0", CREATED, sources);
    refused(out.toByteArray(), null, Reason.BAD_SIGNATURE);
  }

  @Test
  void noPinnedKeyRefusesEverything() {
    Collecting sink = new Collecting();
    BundleException e = assertThrows(BundleException.class,
        () -> UpdateBundle.verify(new ByteArrayInputStream(bundle("0.2.0")), List.of(), null, sink));
    assertEquals(Reason.UNTRUSTED_KEY, e.reason);
  }

  @Test
  void anUnsignedBundleIsRefused() throws Exception {
    byte[] manifest = manifestOf(bundle("0.2.0"));
    refused(tar(List.of(entry("manifest.json", manifest), entry("rootfs.bin", contents.get("rootfs")))), null,
        Reason.UNSIGNED);
  }

  @Test
  void aManifestChangedAfterSigningIsRefused() throws Exception {
    byte[] original = bundle("0.2.0");
    byte[] manifest = manifestOf(original);
    byte[] forged = new String(manifest, StandardCharsets.UTF_8).replace("0.2.0", "9.9.9").getBytes(StandardCharsets.UTF_8);
    refused(tar(List.of(entry("manifest.json", forged), entry("manifest.sig", signatureOf(original)))), null,
        Reason.BAD_SIGNATURE);
  }

  /** Where each entry's header starts and its data ends, from the tar layout (512-byte blocks). */
  private long[] layout(byte[] bundle) throws IOException {
    long[] sizes = {manifestOf(bundle).length, 64, contents.get("rootfs").length, contents.get("kernel").length,
        contents.get("initrd").length};
    long[] starts = new long[sizes.length + 1];
    for (int i = 0; i < sizes.length; i++) {
      starts[i + 1] = starts[i] + 512 + (sizes[i] + 511) / 512 * 512;
    }
    return starts;
  }

  @Test
  void everyFlippedPayloadOrHeaderByteIsCaught() throws Exception {
    byte[] original = bundle("0.2.0");
    long[] at = layout(original);
    List<Integer> positions = new ArrayList<>();
    for (int trial = 0; trial < 16; trial++) { // inside the root image's bytes
      positions.add((int) (at[2] + 512 + random.nextInt(contents.get("rootfs").length)));
    }
    positions.add((int) (at[3] + 512 + 100)); // the kernel's bytes
    positions.add((int) (at[2] + 3));        // the root image's name in its header
    positions.add((int) (at[3] + 124 + 5));  // the kernel's size field
    positions.add((int) (at[4] + 150));      // the initrd header's checksum
    for (int position : positions) {
      byte[] tampered = original.clone();
      tampered[position] ^= (byte) (1 + random.nextInt(255));
      Collecting sink = new Collecting();
      BundleException e = assertThrows(BundleException.class, () -> verify(tampered, sink, null), "byte " + position);
      assertTrue(e.reason == Reason.CORRUPT || e.reason == Reason.TRUNCATED, e.reason + ": " + e.getMessage());
      assertTrue(sink.aborted && sink.committed.isEmpty());
    }
  }

  @Test
  void aBundleCutShortAnywhereIsRefused() throws Exception {
    byte[] original = bundle("0.2.0");
    long[] at = layout(original);
    long lastHeaderEnd = at[4] + 512; // the (empty) initrd's header: everything before it is needed
    for (int trial = 0; trial < 24; trial++) {
      int length = trial < 4 ? new int[] {0, 100, (int) at[1], (int) at[3]}[trial] : random.nextInt((int) lastHeaderEnd);
      byte[] cut = java.util.Arrays.copyOf(original, length);
      Collecting sink = new Collecting();
      BundleException e = assertThrows(BundleException.class, () -> verify(cut, sink, null), "cut at " + length);
      assertTrue(e.reason == Reason.TRUNCATED || e.reason == Reason.MALFORMED || e.reason == Reason.UNSIGNED,
          "cut at " + length + ": " + e.reason + " " + e.getMessage());
      assertTrue(sink.aborted && sink.committed.isEmpty(), "cut at " + length);
    }
  }

  @Test
  void anOlderOrEqualVersionIsRefusedANewerOneAccepted() throws Exception {
    byte[] b = bundle("0.2.0");
    BundleException e = refused(b, "0.2.0", Reason.OLDER);
    assertTrue(e.getMessage().contains("0.2.0"), e.getMessage());
    refused(b, "0.10.0", Reason.OLDER);
    verify(b, new Collecting(), "0.2.0-SNAPSHOT");
    verify(b, new Collecting(), "0.1.9");
  }

  @Test
  void anExtraEntryAfterThePayloadsIsRefused() throws Exception {
    byte[] original = bundle("0.2.0");
    List<Map.Entry<String, byte[]>> entries = new ArrayList<>(List.of(entry("manifest.json", manifestOf(original)),
        entry("manifest.sig", signatureOf(original))));
    for (var e : contents.entrySet()) {
      entries.add(entry(e.getKey() + ".bin", e.getValue()));
    }
    entries.add(entry("payload.sh", "#!/bin/sh\nrm -rf /\n".getBytes(StandardCharsets.UTF_8)));
    refused(tar(entries), null, Reason.CORRUPT);
  }

  @Test
  void anotherMachinesBundleIsRefusedEvenWhenSigned() throws Exception {
    byte[] manifest = new String(manifestOf(bundle("0.2.0")), StandardCharsets.UTF_8)
        .replace(UpdateBundle.COMPATIBLE, "powerverse-node-arm64").getBytes(StandardCharsets.UTF_8);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(manifest, 0, manifest.length);
    refused(tar(List.of(entry("manifest.json", manifest), entry("manifest.sig", signer.generateSignature()))), null,
        Reason.INCOMPATIBLE);
  }

  @Test
  void versionsCompareNumericallyWithPreReleasesFirst() {
    assertTrue(Versions.compare("0.10.0", "0.9.9") > 0);
    assertTrue(Versions.compare("1.0.0-SNAPSHOT", "1.0.0") < 0);
    assertTrue(Versions.compare("1.0.0-rc.2", "1.0.0-rc.1") > 0);
    assertEquals(0, Versions.compare("1.0", "1.0.0"));
    assertThrows(IllegalArgumentException.class, () -> Versions.parse("v1"));
    assertThrows(IllegalArgumentException.class, () -> Versions.parse("1..2"));
  }

  // --- hand-made archives for the refusals the writer cannot produce ---

  private static Map.Entry<String, byte[]> entry(String name, byte[] content) {
    return Map.entry(name, content);
  }

  private static byte[] tar(List<Map.Entry<String, byte[]>> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      for (var e : entries) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return out.toByteArray();
  }

  private static byte[] member(byte[] bundle, String name) throws IOException {
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(bundle))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals(name)) {
          return in.readAllBytes();
        }
      }
    }
    throw new IllegalStateException(name + " not in the bundle");
  }

  private static byte[] manifestOf(byte[] bundle) throws IOException {
    return member(bundle, "manifest.json");
  }

  private static byte[] signatureOf(byte[] bundle) throws IOException {
    return member(bundle, "manifest.sig");
  }
}
