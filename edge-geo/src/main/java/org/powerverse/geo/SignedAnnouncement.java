package org.powerverse.geo;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An announcement with its signer's raw Ed25519 public key and the RFC 8032 signature over its
 * signing input (docs/geo.md). This is what travels between nodes, as JSON:
 * {@code {"announcement": {...}, "publicKey": base64url, "signature": base64url}}.
 */
public record SignedAnnouncement(Announcement announcement, byte[] publicKey, byte[] signature) {

  public static final int PUBLIC_KEY_BYTES = 32;
  public static final int SIGNATURE_BYTES = 64;

  public SignedAnnouncement {
    Objects.requireNonNull(announcement, "announcement");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(signature, "signature");
    if (publicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("publicKey: an Ed25519 key has 32 bytes, got " + publicKey.length);
    }
    if (signature.length != SIGNATURE_BYTES) {
      throw new IllegalArgumentException("signature: an Ed25519 signature has 64 bytes, got " + signature.length);
    }
    publicKey = publicKey.clone();
    signature = signature.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SignedAnnouncement that && announcement.equals(that.announcement)
        && Arrays.equals(publicKey, that.publicKey) && Arrays.equals(signature, that.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(announcement, Arrays.hashCode(publicKey), Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "SignedAnnouncement[" + announcement + ", signature=" + Base64.getUrlEncoder().withoutPadding().encodeToString(signature) + "]";
  }
}
