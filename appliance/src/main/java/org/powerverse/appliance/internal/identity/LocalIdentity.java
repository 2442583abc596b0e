package org.powerverse.appliance.internal.identity;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.powerverse.platform.NodeIdentity;

/** The node's identity as loaded from its key files; see {@link NodeKeys}. */
public final class LocalIdentity implements NodeIdentity {

  private final Ed25519PrivateKeyParameters nodeKey;
  private final byte[] nodePublicKey;
  private final String nodeId;
  private final String accountAddress;
  private final String did;
  private final Path tlsKeyFile;
  private final Path tlsCertFile;
  private final String tlsFingerprint;

  LocalIdentity(ECPrivateKeyParameters account, Ed25519PrivateKeyParameters nodeKey, long chainId, Path tlsKeyFile,
      Path tlsCertFile, String tlsFingerprint) {
    this.nodeKey = nodeKey;
    this.nodePublicKey = nodeKey.generatePublicKey().getEncoded();
    this.nodeId = Addresses.peerId(nodePublicKey);
    BigInteger secret = account.getD();
    byte[] publicPoint = account.getParameters().getG().multiply(secret).normalize().getEncoded(false);
    this.accountAddress = Addresses.ethereumAddress(publicPoint);
    // did:pkh with a CAIP-10 account id (namespace eip155, the chain id, the address).
    this.did = "did:pkh:eip155:" + chainId + ":" + accountAddress;
    this.tlsKeyFile = tlsKeyFile;
    this.tlsCertFile = tlsCertFile;
    this.tlsFingerprint = tlsFingerprint;
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public String did() {
    return did;
  }

  @Override
  public String accountAddress() {
    return accountAddress;
  }

  @Override
  public byte[] ed25519PublicKey() {
    return nodePublicKey.clone();
  }

  public String ed25519PublicKeyHex() {
    return HexFormat.of().formatHex(nodePublicKey);
  }

  @Override
  public byte[] signEd25519(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, nodeKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  @Override
  public String tlsFingerprint() {
    return tlsFingerprint;
  }

  public Path tlsKeyFile() {
    return tlsKeyFile;
  }

  public Path tlsCertFile() {
    return tlsCertFile;
  }

  @Override
  public String toString() {
    return "LocalIdentity[nodeId=" + nodeId + ", account=" + accountAddress + "]";
  }
}
