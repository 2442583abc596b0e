package org.powerverse.appliance.internal.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeysTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private LocalIdentity load() throws IdentityException {
    return NodeKeys.loadOrCreate(dir.resolve("keys"), 20567, CLOCK, new SecureRandom());
  }

  @Test
  void firstBootCreatesEveryKeyOwnerOnly() throws Exception {
    load();
    Path keys = dir.resolve("keys");
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
    for (String secret : new String[] {NodeKeys.ACCOUNT_KEY, NodeKeys.NODE_KEY, NodeKeys.TLS_KEY}) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve(secret))),
          secret);
    }
    try (var files = Files.list(keys)) {
      assertEquals(4, files.count(), "no temporary files are left behind");
    }
  }

  @Test
  void laterStartsLoadTheSameIdentity() throws Exception {
    LocalIdentity first = load();
    byte[] before = Files.readAllBytes(dir.resolve("keys").resolve(NodeKeys.NODE_KEY));
    LocalIdentity second = load();
    assertEquals(first.nodeId(), second.nodeId());
    assertEquals(first.did(), second.did());
    assertEquals(first.tlsFingerprint(), second.tlsFingerprint());
    assertArrayEquals(before, Files.readAllBytes(dir.resolve("keys").resolve(NodeKeys.NODE_KEY)));
  }

  @Test
  void didUsesTheChainIdAndTheChecksummedAccount() throws Exception {
    LocalIdentity identity = load();
    assertEquals("did:pkh:eip155:20567:" + identity.accountAddress(), identity.did());
    assertEquals(identity.accountAddress(), Addresses.checksum(identity.accountAddress().substring(2)));
    assertEquals(identity.nodeId(), Addresses.peerId(identity.ed25519PublicKey()));
  }

  @Test
  void signaturesVerifyWithThePublicKey() throws Exception {
    LocalIdentity identity = load();
    byte[] message = "announcement".getBytes(StandardCharsets.UTF_8);
    byte[] signature = identity.signEd25519(message);
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(identity.ed25519PublicKey()));
    verifier.update(message, 0, message.length);
    assertTrue(verifier.verifySignature(signature));
  }

  @Test
  void corruptKeyStopsStartUpAndIsLeftUntouched() throws Exception {
    load();
    Path key = dir.resolve("keys").resolve(NodeKeys.NODE_KEY);
    byte[] corrupt = "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
    Files.write(key, corrupt);
    IdentityException e = assertThrows(IdentityException.class, this::load);
    assertTrue(e.getMessage().startsWith(key + " is not a PKCS#8 Ed25519 private key"), e.getMessage());
    assertTrue(e.getMessage().contains("left untouched"), e.getMessage());
    assertArrayEquals(corrupt, Files.readAllBytes(key));
  }

  @Test
  void keyOfTheWrongKindIsRefused() throws Exception {
    load();
    Path keys = dir.resolve("keys");
    // The TLS key is an EC P-256 key: valid PKCS#8, but not secp256k1.
    Files.copy(keys.resolve(NodeKeys.TLS_KEY), keys.resolve(NodeKeys.ACCOUNT_KEY), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IdentityException e = assertThrows(IdentityException.class, this::load);
    assertTrue(e.getMessage().contains("secp256k1"), e.getMessage());
  }

  @Test
  void certificateOfAnotherKeyIsRefused() throws Exception {
    load();
    Path other = dir.resolve("other");
    NodeKeys.loadOrCreate(other, 1, CLOCK, new SecureRandom());
    Files.copy(other.resolve(NodeKeys.TLS_CERT), dir.resolve("keys").resolve(NodeKeys.TLS_CERT),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    IdentityException e = assertThrows(IdentityException.class, this::load);
    assertTrue(e.getMessage().contains("its public key is not"), e.getMessage());
  }

  @Test
  void secretReadableByOthersIsTightened() throws Exception {
    load();
    Path key = dir.resolve("keys").resolve(NodeKeys.ACCOUNT_KEY);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    load();
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
  }

  @Test
  void missingKeyIsCreatedOthersKept() throws Exception {
    LocalIdentity first = load();
    Files.delete(dir.resolve("keys").resolve(NodeKeys.ACCOUNT_KEY));
    LocalIdentity second = load();
    assertEquals(first.nodeId(), second.nodeId());
    assertNotEquals(first.accountAddress(), second.accountAddress());
  }

  @Test
  void certificateIsSelfSignedForTenYearsWithTheNodeIdAsName() throws Exception {
    LocalIdentity identity = load();
    X509Certificate cert;
    try (InputStream in = Files.newInputStream(identity.tlsCertFile())) {
      cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    cert.verify(cert.getPublicKey());
    assertTrue(cert.getSubjectX500Principal().getName().contains("CN=" + identity.nodeId()));
    assertEquals(CLOCK.instant().plus(NodeKeys.CERT_VALIDITY), cert.getNotAfter().toInstant());
    assertEquals(NodeKeys.fingerprint(cert.getEncoded()), identity.tlsFingerprint());
    assertTrue(identity.tlsFingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"));
  }

  @Test
  void fingerprintsAreNormalizedFromWhatOperatorsType() {
    String canonical = "AB:".repeat(31) + "CD";
    assertEquals(canonical, NodeKeys.normalizeFingerprint("ab".repeat(31) + "cd"));
    assertEquals(canonical, NodeKeys.normalizeFingerprint("SHA256:" + canonical.toLowerCase()));
    assertThrows(IllegalArgumentException.class, () -> NodeKeys.normalizeFingerprint("AB:CD"));
  }
}
