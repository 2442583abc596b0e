package org.powerverse.appliance.internal.system;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A signed system update: a POSIX tar whose first entry is {@code manifest.json}, second
 * {@code manifest.sig} (Ed25519, RFC 8032, over the manifest's exact bytes), then one entry per
 * payload file in the manifest's order, each with the size and SHA-256 the manifest states.
 *
 * <p>Read as a stream, never whole: the signature is checked against the pinned keys before any
 * payload byte is read; each payload byte goes to the {@link PayloadSink} while it is hashed, and
 * a payload is committed only after its size and hash matched. Anything else (no or wrong
 * signature, a key not pinned, an older version, another machine's bundle, a short, long, renamed,
 * reordered, missing or extra entry) aborts the sink and is a {@link BundleException} saying why.
 */
public final class UpdateBundle {

  public static final String MANIFEST = "manifest.json";
  public static final String SIGNATURE = "manifest.sig";
  /** What a node of this image accepts; another machine's bundle is refused. */
  public static final String COMPATIBLE = "powerverse-node-amd64";
  static final int FORMAT = 1;
  static final int MAX_MANIFEST_BYTES = 64 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private UpdateBundle() {}

  /** Why a bundle was refused; {@code reason} is stable, for problem types and tests. */
  public static final class BundleException extends Exception {
    public enum Reason { MALFORMED, UNSIGNED, BAD_SIGNATURE, UNTRUSTED_KEY, INCOMPATIBLE, OLDER, CORRUPT, TRUNCATED }

    public final Reason reason;

    BundleException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    BundleException(Reason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }
  }

  /** One payload file: a role the installer knows, its entry name, size and SHA-256 (hex). */
  public record Payload(String role, String name, long size, String sha256) {}

  /** What the signature covers. */
  public record Manifest(int format, String compatible, String version, String createdAt, List<Payload> payloads) {}

  /** Where verified payload bytes go (the inactive slot, a file); nothing is kept unless committed. */
  public interface PayloadSink {
    OutputStream open(Payload payload) throws IOException;

    /** The payload's bytes were all written and matched the manifest. */
    void commit(Payload payload) throws IOException;

    /** The bundle was refused: discard everything opened so far. */
    void abort();
  }

  /** A payload file to put in a new bundle. */
  public record Source(String role, Path file) {}

  /**
   * Writes a bundle to {@code out}: hashes each source, signs the manifest with {@code key}, then
   * streams the sources in. Returns the manifest.
   */
  public static Manifest create(OutputStream out, Ed25519PrivateKeyParameters key, String version, Instant createdAt,
      List<Source> sources) throws IOException {
    Versions.parse(version); // refuses what could not be compared later
    Set<String> roles = new HashSet<>();
    List<Payload> payloads = new ArrayList<>();
    for (Source source : sources) {
      String name = source.file().getFileName().toString();
      if (!NAME.matcher(source.role()).matches() || !roles.add(source.role())) {
        throw new IllegalArgumentException("role '" + source.role() + "' is not a simple name or is given twice");
      }
      if (!NAME.matcher(name).matches() || name.equals(MANIFEST) || name.equals(SIGNATURE)) {
        throw new IllegalArgumentException("payload file name '" + name + "' is not allowed");
      }
      MessageDigest sha = sha256();
      try (InputStream in = Files.newInputStream(source.file());
          OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
        in.transferTo(sink);
      }
      payloads.add(new Payload(source.role(), name, Files.size(source.file()), HexFormat.of().formatHex(sha.digest())));
    }
    Manifest manifest = new Manifest(FORMAT, COMPATIBLE, version, createdAt.toString(), List.copyOf(payloads));
    byte[] manifestBytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key);
    signer.update(manifestBytes, 0, manifestBytes.length);
    byte[] signature = signer.generateSignature();
    TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out));
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    entry(tar, MANIFEST, manifestBytes.length, createdAt);
    tar.write(manifestBytes);
    tar.closeArchiveEntry();
    entry(tar, SIGNATURE, signature.length, createdAt);
    tar.write(signature);
    tar.closeArchiveEntry();
    for (int i = 0; i < payloads.size(); i++) {
      entry(tar, payloads.get(i).name(), payloads.get(i).size(), createdAt);
      try (InputStream in = Files.newInputStream(sources.get(i).file())) {
        in.transferTo(tar);
      }
      tar.closeArchiveEntry();
    }
    tar.finish();
    tar.close();
    return manifest;
  }

  private static void entry(TarArchiveOutputStream tar, String name, long size, Instant time) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setMode(0644);
    entry.setModTime(time.toEpochMilli()); // reproducible: the bundle's own time, not the clock's
    entry.setUserName("root");
    entry.setGroupName("root");
    tar.putArchiveEntry(entry);
  }

  /**
   * Reads and checks a bundle from {@code in}, sending each payload to {@code sink}. The signature
   * must verify under one of {@code trustedKeys} (32-byte Ed25519 public keys) before any payload is
   * read; the version must be newer than {@code installedVersion} (null: any).
   */
  public static Manifest verify(InputStream in, List<byte[]> trustedKeys, String installedVersion, PayloadSink sink)
      throws BundleException, IOException {
    boolean committedAll = false;
    try {
      TarArchiveInputStream tar = new TarArchiveInputStream(in);
      byte[] manifestBytes = readSmall(tar, MANIFEST, MAX_MANIFEST_BYTES, BundleException.Reason.MALFORMED);
      byte[] signature = readSmall(tar, SIGNATURE, 64, BundleException.Reason.UNSIGNED);
      if (signature.length != 64) {
        throw new BundleException(BundleException.Reason.BAD_SIGNATURE,
            "manifest.sig is " + signature.length + " bytes; an Ed25519 signature is 64");
      }
      checkSignature(manifestBytes, signature, trustedKeys);
      Manifest manifest = parseManifest(manifestBytes);
      if (installedVersion != null && Versions.compare(manifest.version(), installedVersion) <= 0) {
        throw new BundleException(BundleException.Reason.OLDER, "the bundle's version " + manifest.version()
            + " is not newer than the installed " + installedVersion);
      }
      for (Payload payload : manifest.payloads()) {
        TarArchiveEntry entry = next(tar);
        if (entry == null) {
          throw new BundleException(BundleException.Reason.TRUNCATED, "the bundle ends before " + payload.name());
        }
        if (!entry.getName().equals(payload.name()) || !entry.isFile()) {
          throw new BundleException(BundleException.Reason.CORRUPT,
              "expected the entry " + payload.name() + ", found " + entry.getName());
        }
        if (entry.getSize() != payload.size()) {
          throw new BundleException(BundleException.Reason.CORRUPT, payload.name() + " is " + entry.getSize()
              + " bytes in the archive; the manifest says " + payload.size());
        }
        MessageDigest sha = sha256();
        long copied;
        try (OutputStream target = new DigestOutputStream(sink.open(payload), sha)) {
          copied = tar.transferTo(target);
        }
        if (copied != payload.size()) {
          throw new BundleException(BundleException.Reason.TRUNCATED,
              payload.name() + " ends after " + copied + " of " + payload.size() + " bytes");
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(payload.sha256())) {
          throw new BundleException(BundleException.Reason.CORRUPT,
              payload.name() + " has SHA-256 " + actual + "; the signed manifest says " + payload.sha256());
        }
        sink.commit(payload);
      }
      TarArchiveEntry extra = next(tar);
      if (extra != null) {
        throw new BundleException(BundleException.Reason.CORRUPT, "unexpected entry after the payloads: " + extra.getName());
      }
      committedAll = true;
      return manifest;
    } catch (java.io.EOFException e) {
      throw new BundleException(BundleException.Reason.TRUNCATED, "the bundle is cut short: "
          + e.getMessage(), e);
    } catch (IOException e) {
      if (e.getMessage() != null && (e.getMessage().contains("Truncated") || e.getMessage().contains("truncated"))) {
        throw new BundleException(BundleException.Reason.TRUNCATED, "the bundle is cut short: " + e.getMessage(), e);
      }
      throw e;
    } finally {
      if (!committedAll) {
        sink.abort();
      }
    }
  }

  private static byte[] readSmall(TarArchiveInputStream tar, String expected, int max, BundleException.Reason missing)
      throws IOException, BundleException {
    TarArchiveEntry entry = next(tar);
    if (entry == null || !entry.getName().equals(expected)) {
      throw new BundleException(missing, "the bundle's " + (expected.equals(MANIFEST) ? "first" : "second")
          + " entry must be " + expected + ", found " + (entry == null ? "nothing" : entry.getName()));
    }
    if (entry.getSize() > max) {
      throw new BundleException(BundleException.Reason.MALFORMED, expected + " is " + entry.getSize()
          + " bytes, more than the " + max + " allowed");
    }
    byte[] bytes = tar.readNBytes((int) entry.getSize());
    if (bytes.length != entry.getSize()) {
      throw new BundleException(BundleException.Reason.TRUNCATED, expected + " is cut short");
    }
    return bytes;
  }

  /** The next entry; a damaged header (bad checksum, garbage fields) is a corrupt bundle. */
  private static TarArchiveEntry next(TarArchiveInputStream tar) throws IOException, BundleException {
    try {
      return tar.getNextEntry();
    } catch (java.io.EOFException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("truncated")) {
        throw new BundleException(BundleException.Reason.TRUNCATED, "the bundle is cut short: " + e.getMessage(), e);
      }
      throw new BundleException(BundleException.Reason.CORRUPT, "a tar header in the bundle is damaged: "
          + e.getMessage(), e);
    }
  }

  private static void checkSignature(byte[] manifest, byte[] signature, List<byte[]> trustedKeys)
      throws BundleException {
    if (trustedKeys.isEmpty()) {
      throw new BundleException(BundleException.Reason.UNTRUSTED_KEY, "no update key is pinned on this node");
    }
    for (byte[] key : trustedKeys) {
      Ed25519PublicKeyParameters publicKey;
      try {
        publicKey = new Ed25519PublicKeyParameters(key, 0);
      } catch (IllegalArgumentException e) { // not a point on the curve: it can verify nothing
        continue;
      }
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, publicKey);
      verifier.update(manifest, 0, manifest.length);
      if (verifier.verifySignature(signature)) {
        return;
      }
    }
    throw new BundleException(BundleException.Reason.BAD_SIGNATURE,
        "the manifest's signature does not verify under any pinned update key");
  }

  private static Manifest parseManifest(byte[] bytes) throws BundleException {
    Manifest manifest;
    try {
      manifest = JSON.readValue(bytes, Manifest.class);
    } catch (IOException e) {
      throw new BundleException(BundleException.Reason.MALFORMED, "the signed manifest is not valid: " + e.getMessage(), e);
    }
    if (manifest.format() != FORMAT) {
      throw new BundleException(BundleException.Reason.INCOMPATIBLE, "bundle format " + manifest.format()
          + " is not the format " + FORMAT + " this node reads");
    }
    if (!COMPATIBLE.equals(manifest.compatible())) {
      throw new BundleException(BundleException.Reason.INCOMPATIBLE, "the bundle is for '" + manifest.compatible()
          + "', this node is '" + COMPATIBLE + "'");
    }
    if (manifest.payloads() == null || manifest.payloads().isEmpty() || manifest.version() == null) {
      throw new BundleException(BundleException.Reason.MALFORMED, "the manifest names no version or no payloads");
    }
    try {
      Versions.parse(manifest.version());
    } catch (IllegalArgumentException e) {
      throw new BundleException(BundleException.Reason.MALFORMED, e.getMessage(), e);
    }
    Set<String> names = new HashSet<>();
    Set<String> roles = new HashSet<>();
    for (Payload p : manifest.payloads()) {
      if (p == null || p.name() == null || !NAME.matcher(p.name()).matches() || !names.add(p.name())
          || p.role() == null || !roles.add(p.role()) || p.size() < 0 || p.sha256() == null
          || !SHA256.matcher(p.sha256()).matches()) {
        throw new BundleException(BundleException.Reason.MALFORMED, "a payload in the manifest is not valid: " + p);
      }
    }
    return manifest;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lets the tar writer finish without closing the caller's stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
