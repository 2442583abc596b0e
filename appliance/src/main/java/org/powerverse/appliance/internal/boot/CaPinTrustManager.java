package org.powerverse.appliance.internal.boot;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.powerverse.appliance.internal.identity.NodeKeys;

/**
 * Trusts a server whose chain leads to a CA known only by its SHA-256 fingerprint (given on the
 * kernel command line, where a whole certificate does not fit): the presented certificate with that
 * fingerprint becomes the only trust anchor, and the JDK's PKIX trust manager then validates the
 * chain to it and the host name, as for any HTTPS server.
 */
final class CaPinTrustManager extends X509ExtendedTrustManager {

  private final String pinned;

  CaPinTrustManager(String pinnedFingerprint) {
    this.pinned = NodeKeys.normalizeFingerprint(pinnedFingerprint);
  }

  private X509ExtendedTrustManager anchoredAt(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    for (X509Certificate cert : chain) {
      String fingerprint;
      try {
        fingerprint = NodeKeys.fingerprint(cert.getEncoded());
      } catch (CertificateEncodingException e) {
        throw new CertificateException("cannot read a certificate of the server's chain", e);
      }
      if (fingerprint.equals(pinned)) {
        try {
          KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
          anchors.load(null, null);
          anchors.setCertificateEntry("pinned", cert);
          TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
          factory.init(anchors);
          for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager extended) {
              return extended;
            }
          }
          throw new CertificateException("no PKIX trust manager in this JDK");
        } catch (GeneralSecurityException | java.io.IOException e) {
          throw new CertificateException("cannot build a trust store from the pinned certificate", e);
        }
      }
    }
    throw new CertificateException("no certificate in the server's chain has the pinned fingerprint " + pinned);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    anchoredAt(chain).checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    anchoredAt(chain).checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    anchoredAt(chain).checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("not a server");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
