package org.powerverse.cdn;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.powerverse.cdn.internal.Varint;

/**
 * A content identifier (multiformats/cid). CIDv0 is a bare sha2-256 multihash of a dag-pb block,
 * written in base58btc ({@code Qm...}); CIDv1 is {@code varint(1) varint(codec) multihash},
 * written with a multibase prefix (base32 {@code b...} by default). Equality is by version, codec
 * and multihash: a CIDv0 and its CIDv1 form are different CIDs of the same block.
 */
public final class Cid implements Comparable<Cid> {

  /** The empty identity CID, the trustless gateway spec's probe ({@code bafkqaaa}). */
  public static final Cid EMPTY_IDENTITY_RAW = v1(Multicodec.RAW.code(), Multihash.identity(new byte[0]));

  private final int version;
  private final long codec;
  private final Multihash multihash;
  private final byte[] bytes;
  private String text;

  private Cid(int version, long codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
    if (version == 0) {
      this.bytes = multihash.bytes();
    } else {
      byte[] encoded = new byte[1 + Varint.size(codec) + multihash.length()];
      int offset = Varint.write(1, encoded, 0);
      offset = Varint.write(codec, encoded, offset);
      multihash.copyTo(encoded, offset);
      this.bytes = encoded;
    }
  }

  /** CIDv1 of a block with this codec and multihash. */
  public static Cid v1(long codec, Multihash multihash) {
    if (codec < 0) {
      throw new IllegalArgumentException("codec must be non-negative, got " + codec);
    }
    return new Cid(1, codec, multihash);
  }

  public static Cid v1(Multicodec codec, Multihash multihash) {
    return v1(codec.code(), multihash);
  }

  /** CIDv0: only a sha2-256 multihash of a dag-pb block has one (CID spec, "CIDv0"). */
  public static Cid v0(Multihash multihash) {
    if (multihash.code() != Multicodec.SHA2_256.code()) {
      throw new IllegalArgumentException("CIDv0 needs a sha2-256 multihash, got " + Multicodec.nameOf(multihash.code()));
    }
    return new Cid(0, Multicodec.DAG_PB.code(), multihash);
  }

  /** The CIDv1 raw block CID of {@code data}, hashed with sha2-256. */
  public static Cid rawSha256(byte[] data) {
    return v1(Multicodec.RAW, Multihash.sha256(data));
  }

  /**
   * Parses a CID from its string form (CID spec, "Decoding Algorithm"): 46 characters starting
   * with {@code Qm} are a base58btc CIDv0, anything else is a multibase CIDv1.
   */
  public static Cid parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("empty CID");
    }
    if (text.length() == 46 && text.startsWith("Qm")) {
      return decode(Multibase.BASE58BTC.decodeBare(text));
    }
    byte[] bytes;
    try {
      bytes = Multibase.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a CID: " + abbreviate(text) + ": " + e.getMessage(), e);
    }
    if (bytes.length > 0 && bytes[0] == 0x12) {
      throw new IllegalArgumentException("not a CID: " + abbreviate(text) + ": a CIDv0 must be written in bare base58btc");
    }
    try {
      return decode(bytes);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a CID: " + abbreviate(text) + ": " + e.getMessage(), e);
    }
  }

  /** Decodes the binary form (no multibase prefix). */
  public static Cid decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    Cid cid = read(in);
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the CID");
    }
    return cid;
  }

  /** Reads a binary CID at the buffer's position and advances past it. */
  public static Cid read(ByteBuffer in) {
    if (in.remaining() >= 2 && in.get(in.position()) == 0x12 && in.get(in.position() + 1) == 0x20) {
      // CID spec: a binary CID starting with 0x12 0x20 is a CIDv0 (a sha2-256 multihash).
      return v0(Multihash.read(in));
    }
    long version = Varint.read(in);
    if (version != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version + " (expected 1, or a CIDv0 multihash)");
    }
    long codec = Varint.read(in);
    return v1(codec, Multihash.read(in));
  }

  /** Reads a binary CID from a stream (CAR sections); throws {@link EOFException} when it ends inside one. */
  public static Cid read(InputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException("stream ended before a CID");
    }
    if (first == 0x12) {
      int length = in.read();
      if (length != 0x20) {
        throw new IOException("a CIDv0 is a sha2-256 multihash of 32 bytes, got digest length byte " + length);
      }
      return v0(Multihash.ofSha256Digest(readFully(in, 32)));
    }
    if (first != 1) {
      throw new IOException("unsupported CID version byte 0x" + Integer.toHexString(first) + " (expected 1, or a CIDv0 multihash)");
    }
    long codec = requireVarint(in);
    long hashCode = requireVarint(in);
    long length = requireVarint(in);
    if (length > 1024) {
      throw new IOException("multihash digest length " + length + " is implausible (more than 1024 bytes)");
    }
    try {
      return v1(codec, Multihash.of(hashCode, readFully(in, (int) length)));
    } catch (IllegalArgumentException e) {
      throw new IOException("bad CID: " + e.getMessage(), e);
    }
  }

  private static long requireVarint(InputStream in) throws IOException {
    long value = Varint.read(in);
    if (value < 0) {
      throw new EOFException("stream ended inside a CID");
    }
    return value;
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] out = in.readNBytes(length);
    if (out.length != length) {
      throw new EOFException("stream ended inside a CID digest (" + out.length + " of " + length + " bytes)");
    }
    return out;
  }

  public int version() {
    return version;
  }

  /** The multicodec code of the content ({@code 0x70} dag-pb, {@code 0x55} raw, ...). */
  public long codec() {
    return codec;
  }

  public Multihash multihash() {
    return multihash;
  }

  /** The binary form. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Length of the binary form. */
  public int byteLength() {
    return bytes.length;
  }

  public boolean isIdentity() {
    return multihash.isIdentity();
  }

  /** The same block as CIDv1 (identity for a CIDv1). */
  public Cid toV1() {
    return version == 1 ? this : v1(codec, multihash);
  }

  /** The same block as CIDv0; only dag-pb with sha2-256 has one. */
  public Cid toV0() {
    if (version == 0) {
      return this;
    }
    if (codec != Multicodec.DAG_PB.code()) {
      throw new IllegalArgumentException("only dag-pb CIDs have a CIDv0 form, this one is " + Multicodec.nameOf(codec));
    }
    return v0(multihash);
  }

  /** The string in {@code base}; CIDv0 has only its base58btc form. */
  public String toString(Multibase base) {
    if (version == 0) {
      if (base != Multibase.BASE58BTC) {
        throw new IllegalArgumentException("a CIDv0 is written only in base58btc; convert it to CIDv1 first");
      }
      return Multibase.BASE58BTC.encodeBare(bytes);
    }
    return base.encode(bytes);
  }

  /** CIDv0 in base58btc, CIDv1 in base32 (the CID spec's defaults). */
  @Override
  public String toString() {
    // Cached: the gateway writes a CID into several headers of every response. A racy first
    // write is harmless (equal immutable strings).
    String text = this.text;
    if (text == null) {
      text = version == 0 ? Multibase.BASE58BTC.encodeBare(bytes) : Multibase.BASE32.encode(bytes);
      this.text = text;
    }
    return text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cid that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(Cid other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  private static String abbreviate(String text) {
    return "\"" + (text.length() > 80 ? text.substring(0, 80) + "..." : text) + "\"";
  }
}
