package org.powerverse.appliance.internal.cli;

import java.net.Socket;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.powerverse.appliance.internal.identity.NodeKeys;

/**
 * Trusts exactly one certificate: the one whose SHA-256 fingerprint is pinned. Nodes have
 * self-signed certificates, and an operator reaches them by whatever address works, so names and
 * CAs prove nothing; the fingerprint (shown on the node's console) does. With nothing pinned yet it
 * trusts the first certificate and remembers its fingerprint (trust on first use, as ssh does).
 * Being an {@link X509ExtendedTrustManager}, it also takes over host-name checks, which do not apply.
 */
public final class PinningTrustManager extends X509ExtendedTrustManager {

  private final String pinned;
  private volatile String seen;

  public PinningTrustManager(String pinned) {
    this.pinned = pinned;
  }

  /** The fingerprint the server presented, once a handshake happened. */
  public String seen() {
    return seen;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    String fingerprint;
    try {
      fingerprint = NodeKeys.fingerprint(chain[0].getEncoded());
    } catch (CertificateEncodingException e) {
      throw new CertificateException("cannot read the server's certificate", e);
    }
    seen = fingerprint;
    if (pinned != null && !pinned.equals(fingerprint)) {
      throw new CertificateException("certificate fingerprint " + fingerprint + " is not the pinned " + pinned);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this client does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
