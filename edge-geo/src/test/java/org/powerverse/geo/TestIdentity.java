package org.powerverse.geo;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.powerverse.geo.internal.PeerIds;
import org.powerverse.platform.NodeIdentity;

/** A node identity from a fixed 32-byte Ed25519 seed (RFC 8032 §5.1.5 secret key), for tests. */
public final class TestIdentity implements NodeIdentity {

  private final PrivateKey privateKey;
  private final byte[] publicKey;
  private final String nodeId;

  public TestIdentity(byte[] seed) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      // The JDK draws the secret key from the random source: hand it the seed.
      generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
        @Override
        public void nextBytes(byte[] bytes) {
          System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
      });
      KeyPair pair = generator.generateKeyPair();
      privateKey = pair.getPrivate();
      byte[] spki = pair.getPublic().getEncoded();
      publicKey = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      nodeId = PeerIds.ofEd25519(publicKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static TestIdentity ofHex(String seedHex) {
    return new TestIdentity(HexFormat.of().parseHex(seedHex));
  }

  /** A distinct identity per number, for many-node tests. */
  public static TestIdentity numbered(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) 0x5e;
    seed[28] = (byte) (n >>> 24);
    seed[29] = (byte) (n >>> 16);
    seed[30] = (byte) (n >>> 8);
    seed[31] = (byte) n;
    return new TestIdentity(seed);
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public String did() {
    return "did:pkh:eip155:0:0x0000000000000000000000000000000000000000";
  }

  @Override
  public String accountAddress() {
    return "0x0000000000000000000000000000000000000000";
  }

  @Override
  public byte[] ed25519PublicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] signEd25519(byte[] message) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String tlsFingerprint() {
    return "00";
  }
}
