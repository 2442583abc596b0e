package org.powerverse.cdn;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Arrays;
import java.util.HexFormat;
import org.powerverse.cdn.internal.Varint;

/**
 * A multihash (multiformats/multihash): {@code varint(code) varint(length) digest}. The node
 * computes {@link Multicodec#SHA2_256} (with the JDK's SUN provider, whose SHA-256 uses the CPU's
 * SHA extensions) and {@link Multicodec#IDENTITY}; other codes can be carried and compared but
 * not verified.
 */
public final class Multihash {

  /** Identity multihashes longer than this are refused: Kubo's and boxo's limit (UnixFS spec, "Identity CID Size Limit"). */
  public static final int MAX_IDENTITY_LENGTH = 128;

  private final long code;
  private final byte[] digest;
  private final byte[] bytes;

  private Multihash(long code, byte[] digest) {
    this.code = code;
    this.digest = digest;
    byte[] encoded = new byte[Varint.size(code) + Varint.size(digest.length) + digest.length];
    int offset = Varint.write(code, encoded, 0);
    offset = Varint.write(digest.length, encoded, offset);
    System.arraycopy(digest, 0, encoded, offset, digest.length);
    this.bytes = encoded;
  }

  public static Multihash of(long code, byte[] digest) {
    if (code < 0) {
      throw new IllegalArgumentException("multihash code must be non-negative, got " + code);
    }
    if (code == Multicodec.SHA2_256.code() && digest.length != 32) {
      throw new IllegalArgumentException("a sha2-256 digest is 32 bytes, got " + digest.length);
    }
    if (code == Multicodec.IDENTITY.code() && digest.length > MAX_IDENTITY_LENGTH) {
      throw new IllegalArgumentException("identity multihash of " + digest.length + " bytes exceeds " + MAX_IDENTITY_LENGTH);
    }
    return new Multihash(code, digest.clone());
  }

  /** The SHA2-256 multihash of {@code data}. */
  public static Multihash sha256(byte[] data) {
    return new Multihash(Multicodec.SHA2_256.code(), sha256Digest().digest(data));
  }

  /** The SHA2-256 multihash of the buffer's remaining bytes (position unchanged). */
  public static Multihash sha256(ByteBuffer data) {
    MessageDigest digest = sha256Digest();
    digest.update(data.duplicate());
    return new Multihash(Multicodec.SHA2_256.code(), digest.digest());
  }

  /** A finished SHA-256 digest as a multihash. */
  public static Multihash ofSha256Digest(byte[] digest) {
    return of(Multicodec.SHA2_256.code(), digest);
  }

  public static Multihash identity(byte[] data) {
    return of(Multicodec.IDENTITY.code(), data);
  }

  /** A fresh SHA-256 from the SUN provider. */
  public static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256", "SUN");
    } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
      throw new IllegalStateException("the JDK's SUN provider has no SHA-256", e);
    }
  }

  /** Reads a multihash at the buffer's position and advances past it. */
  public static Multihash read(ByteBuffer in) {
    long code = Varint.read(in);
    long length = Varint.read(in);
    if (length > in.remaining()) {
      throw new IllegalArgumentException("multihash digest of " + length + " bytes, only " + in.remaining() + " left");
    }
    byte[] digest = new byte[(int) length];
    in.get(digest);
    return of(code, digest);
  }

  public static Multihash decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Multihash hash = read(in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the multihash");
    }
    return hash;
  }

  public long code() {
    return code;
  }

  public byte[] digest() {
    return digest.clone();
  }

  /** The encoded multihash. */
  public byte[] bytes() {
    return bytes.clone();
  }

  int length() {
    return bytes.length;
  }

  void copyTo(byte[] out, int offset) {
    System.arraycopy(bytes, 0, out, offset, bytes.length);
  }

  public boolean isIdentity() {
    return code == Multicodec.IDENTITY.code();
  }

  /** Whether this node can check data against this multihash. */
  public boolean isVerifiable() {
    return code == Multicodec.SHA2_256.code() || isIdentity();
  }

  /**
   * Whether {@code data} hashes to this multihash. Throws for a hash function the node cannot
   * compute: an unverifiable block must never pass as verified.
   */
  public boolean matches(ByteBuffer data) {
    if (isIdentity()) {
      return data.remaining() == digest.length && data.duplicate().equals(ByteBuffer.wrap(digest));
    }
    if (code != Multicodec.SHA2_256.code()) {
      throw new UnsupportedHashException(this);
    }
    MessageDigest sha = sha256Digest();
    sha.update(data.duplicate());
    return MessageDigest.isEqual(sha.digest(), digest);
  }

  public boolean matches(byte[] data) {
    return matches(ByteBuffer.wrap(data));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Multihash that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return Multicodec.nameOf(code) + ":" + HexFormat.of().formatHex(digest);
  }

  /** A multihash whose function this node does not implement, so it cannot verify the data. */
  public static final class UnsupportedHashException extends IllegalArgumentException {
    public UnsupportedHashException(Multihash hash) {
      super("cannot verify multihash function " + Multicodec.nameOf(hash.code) + " (supported: sha2-256, identity)");
    }
  }
}
