package org.powerverse.appliance.internal.identity;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the node's keys at first boot and loads them ever after (ARCHITECTURE.md, Identity).
 * Files in {@code keys/}, all PEM (PKCS#8 for private keys, readable by openssl), mode 0600:
 * {@code account.secp256k1.pem} (chain account, DID), {@code node.ed25519.pem} (VRF, votes, signed
 * announcements, node id), {@code tls.key.pem} and {@code tls.crt.pem} (the API's certificate,
 * self-signed, ECDSA P-256). A file that exists but cannot be read as what it should be stops
 * start-up and is never overwritten; a missing one is created.
 */
public final class NodeKeys {

  public static final String ACCOUNT_KEY = "account.secp256k1.pem";
  public static final String NODE_KEY = "node.ed25519.pem";
  public static final String TLS_KEY = "tls.key.pem";
  public static final String TLS_CERT = "tls.crt.pem";
  static final Duration CERT_VALIDITY = Duration.ofDays(3650);

  private static final Logger LOG = LoggerFactory.getLogger(NodeKeys.class);
  private static final X9ECParameters SECP256K1 = CustomNamedCurves.getByName("secp256k1");

  private NodeKeys() {}

  /** Loads the identity in {@code keysDir}, creating what is missing. */
  public static LocalIdentity loadOrCreate(Path keysDir, long chainId, Clock clock, SecureRandom random)
      throws IdentityException {
    try {
      SecretFiles.ensureDirectory(keysDir);
    } catch (IOException e) {
      throw new IdentityException("cannot create the keys directory " + keysDir + ": " + e.getMessage(), e);
    }
    ECPrivateKeyParameters account = (ECPrivateKeyParameters) loadOrCreateKey(keysDir.resolve(ACCOUNT_KEY),
        "a PKCS#8 secp256k1 private key", () -> generateSecp256k1(random), NodeKeys::isSecp256k1);
    Ed25519PrivateKeyParameters node = (Ed25519PrivateKeyParameters) loadOrCreateKey(keysDir.resolve(NODE_KEY),
        "a PKCS#8 Ed25519 private key", () -> new Ed25519PrivateKeyParameters(random),
        key -> key instanceof Ed25519PrivateKeyParameters);
    String nodeId = Addresses.peerId(node.generatePublicKey().getEncoded());
    TlsMaterial tls = loadOrCreateTls(keysDir, nodeId, clock, random);
    return new LocalIdentity(account, node, chainId, tls.keyFile(), tls.certFile(), tls.fingerprint());
  }

  /** The TLS key and certificate files and the certificate's fingerprint. */
  record TlsMaterial(Path keyFile, Path certFile, String fingerprint) {}

  @FunctionalInterface
  private interface Generator {
    AsymmetricKeyParameter generate() throws GeneralSecurityException;
  }

  /**
   * An Ed25519 key in a PKCS#8 PEM file (0600, like the node's own keys), created when absent; for
   * keys other than the node's, such as an update-signing key.
   */
  public static Ed25519PrivateKeyParameters loadOrCreateEd25519(Path file, String what, SecureRandom random)
      throws IdentityException {
    return (Ed25519PrivateKeyParameters) loadOrCreateKey(file, what, () -> new Ed25519PrivateKeyParameters(random),
        key -> key instanceof Ed25519PrivateKeyParameters);
  }

  private static AsymmetricKeyParameter loadOrCreateKey(Path file, String what, Generator generator,
      java.util.function.Predicate<AsymmetricKeyParameter> isRightKind) throws IdentityException {
    if (Files.exists(file)) {
      AsymmetricKeyParameter key = readPrivateKey(file, what);
      if (!isRightKind.test(key)) {
        throw corrupt(file, what, "it holds another kind of key", null);
      }
      return key;
    }
    try {
      AsymmetricKeyParameter key = generator.generate();
      SecretFiles.create(file, pem("PRIVATE KEY", PrivateKeyInfoFactory.createPrivateKeyInfo(key).getEncoded()));
      LOG.atInfo().addKeyValue("file", file.toString()).log("created a key");
      return key;
    } catch (IOException | GeneralSecurityException e) {
      throw new IdentityException("cannot create " + file + ": " + e.getMessage(), e);
    }
  }

  private static AsymmetricKeyParameter readPrivateKey(Path file, String what) throws IdentityException {
    try {
      SecretFiles.ensureOwnerOnly(file);
      PemObject pem = readPem(file);
      if (pem == null || !pem.getType().equals("PRIVATE KEY")) {
        throw corrupt(file, what, pem == null ? "no PEM block found" : "its PEM block is " + pem.getType(), null);
      }
      return PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pem.getContent()));
    } catch (IOException | RuntimeException e) {
      throw corrupt(file, what, e.getMessage(), e);
    }
  }

  private static IdentityException corrupt(Path file, String what, String why, Throwable cause) {
    return new IdentityException(file + " is not " + what + " (" + why + "). The node's identity is in this file,"
        + " so it is left untouched: restore it from a backup, or move the keys directory away to create a new"
        + " identity.", cause);
  }

  private static boolean isSecp256k1(AsymmetricKeyParameter key) {
    return key instanceof ECPrivateKeyParameters ec && ec.getParameters().getCurve().equals(SECP256K1.getCurve());
  }

  private static AsymmetricKeyParameter generateSecp256k1(SecureRandom random) {
    ECNamedDomainParameters domain = new ECNamedDomainParameters(SECObjectIdentifiers.secp256k1, SECP256K1);
    ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(domain, random));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    return pair.getPrivate();
  }

  private static TlsMaterial loadOrCreateTls(Path dir, String nodeId, Clock clock, SecureRandom random)
      throws IdentityException {
    Path keyFile = dir.resolve(TLS_KEY);
    Path certFile = dir.resolve(TLS_CERT);
    try {
      PrivateKey key;
      if (Files.exists(keyFile)) {
        key = readTlsKey(keyFile);
      } else {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        KeyPair pair = generator.generateKeyPair();
        SecretFiles.create(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        key = pair.getPrivate();
        X509Certificate cert = selfSigned(pair, nodeId, clock, random);
        if (Files.exists(certFile)) {
          LOG.atWarn().addKeyValue("file", certFile.toString()).log("replacing a certificate whose key was missing");
        }
        SecretFiles.replace(certFile, pem("CERTIFICATE", cert.getEncoded()));
        LOG.atInfo().addKeyValue("file", certFile.toString()).log("created the API's TLS certificate");
      }
      if (!Files.exists(certFile)) {
        throw corrupt(certFile, "the API's certificate", "it is missing while " + TLS_KEY
            + " exists; move " + TLS_KEY + " away to create a new pair", null);
      }
      X509Certificate cert = readCertificate(certFile);
      java.security.PublicKey expected = KeyFactory.getInstance("EC").generatePublic(
          new java.security.spec.X509EncodedKeySpec(cert.getPublicKey().getEncoded()));
      if (!matches(key, expected)) {
        throw corrupt(certFile, "the certificate of " + TLS_KEY, "its public key is not " + TLS_KEY + "'s", null);
      }
      return new TlsMaterial(keyFile, certFile, fingerprint(cert.getEncoded()));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IdentityException("cannot load or create the API's TLS key and certificate in " + dir + ": "
          + e.getMessage(), e);
    }
  }

  private static PrivateKey readTlsKey(Path file) throws IdentityException {
    try {
      SecretFiles.ensureOwnerOnly(file);
      PemObject pem = readPem(file);
      if (pem == null || !pem.getType().equals("PRIVATE KEY")) {
        throw corrupt(file, "a PKCS#8 EC private key", "no PRIVATE KEY PEM block", null);
      }
      return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pem.getContent()));
    } catch (IOException | GeneralSecurityException e) {
      throw corrupt(file, "a PKCS#8 EC private key", e.getMessage(), e);
    }
  }

  private static X509Certificate readCertificate(Path file) throws IdentityException {
    try (var in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException e) {
      throw corrupt(file, "an X.509 certificate", e.getMessage(), e);
    }
  }

  /** Whether an EC private key belongs to a public key (sign and verify a probe). */
  /**
   * Whether the certificate's public key is the private key's: Q = d·G. One fixed-base
   * multiplication with Bouncy Castle's comb tables instead of signing and verifying a probe (three
   * scalar multiplications, all interpreted this early in start-up: a tenth of a cold start).
   */
  private static boolean matches(PrivateKey key, java.security.PublicKey publicKey) throws GeneralSecurityException {
    if (!(key instanceof java.security.interfaces.ECPrivateKey ec)
        || !(publicKey instanceof java.security.interfaces.ECPublicKey pub)) {
      throw new GeneralSecurityException("the TLS key and certificate must both be EC (P-256), got "
          + key.getAlgorithm() + " and " + publicKey.getAlgorithm());
    }
    X9ECParameters p256 = CustomNamedCurves.getByOID(SECObjectIdentifiers.secp256r1);
    java.security.spec.ECParameterSpec params = ec.getParams();
    if (!params.getOrder().equals(p256.getN())
        || !params.getGenerator().getAffineX().equals(p256.getG().getAffineXCoord().toBigInteger())) {
      throw new GeneralSecurityException("the TLS key is not on P-256 (secp256r1)");
    }
    ECPoint q = new FixedPointCombMultiplier().multiply(p256.getG(), ec.getS()).normalize();
    return q.getAffineXCoord().toBigInteger().equals(pub.getW().getAffineX())
        && q.getAffineYCoord().toBigInteger().equals(pub.getW().getAffineY());
  }

  static X509Certificate selfSigned(KeyPair pair, String nodeId, Clock clock, SecureRandom random)
      throws GeneralSecurityException, OperatorCreationException, IOException {
    Instant now = clock.instant();
    X500Name subject = new X500Name("CN=" + nodeId + ",O=PowerVerse node");
    List<GeneralName> names = new ArrayList<>();
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    names.add(new GeneralName(GeneralName.iPAddress, "::1"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (!host.equals("localhost") && host.matches("[A-Za-z0-9.-]+")) {
        names.add(new GeneralName(GeneralName.dNSName, host));
      }
    } catch (IOException e) {
      // no resolvable hostname: clients pin the fingerprint anyway
    }
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        subject, new BigInteger(127, random).add(BigInteger.ONE),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(CERT_VALIDITY)), subject, pair.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
    builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").setSecureRandom(random).build(pair.getPrivate())));
  }

  /** SHA-256 of a certificate's DER as openssl prints it: upper-case hex pairs joined by colons. */
  public static String fingerprint(byte[] der) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(der);
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A fingerprint as an operator may type it (with or without colons, any case) in the canonical form. */
  public static String normalizeFingerprint(String text) {
    String hex = text.replace(":", "").replaceFirst("(?i)^sha256[:=]?", "").strip();
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 fingerprint (64 hex digits, colons allowed): " + text);
    }
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
  }

  private static PemObject readPem(Path file) throws IOException {
    try (PemReader reader = new PemReader(new StringReader(Files.readString(file, StandardCharsets.US_ASCII)))) {
      return reader.readPemObject();
    }
  }

  private static byte[] pem(String type, byte[] der) throws IOException {
    StringWriter text = new StringWriter();
    try (PemWriter writer = new PemWriter(text)) {
      writer.writeObject(new PemObject(type, der));
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
