package org.powerverse.cdn.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Addressing inside a UnixFS HAMT-sharded directory (UnixFS spec, "dag-pb HAMTDirectory"): a
 * name's murmur3-x64-64 hash (the first 64 bits of murmur3-x64-128, seed 0, big-endian, as boxo's
 * {@code hamt.hash} and helia's {@code hamtHashFn} compute it) is consumed {@code log2(fanout)}
 * bits per level, most significant first; a link's name starts with the bucket index in upper-case
 * hex, padded to the width of {@code fanout - 1}.
 */
public final class Hamt {

  /** The largest fanout a reader accepts (UnixFS spec; CVE-2023-23625). */
  public static final long MAX_FANOUT = 1024;

  private final int bitsPerLevel;
  private final int prefixWidth;

  private Hamt(long fanout) {
    if (fanout < 8 || fanout > MAX_FANOUT || Long.bitCount(fanout) != 1) {
      throw new UnixfsData.UnixfsException("HAMT fanout must be a power of two within 8.." + MAX_FANOUT + ", got " + fanout);
    }
    this.bitsPerLevel = Long.numberOfTrailingZeros(fanout);
    this.prefixWidth = Long.toHexString(fanout - 1).length();
  }

  /** The HAMT parameters of a shard node. */
  public static Hamt of(UnixfsData shard) {
    if (shard.hashType() == null || shard.hashType() != UnixfsData.MURMUR3_X64_64) {
      throw new UnixfsData.UnixfsException("HAMT hash function must be murmur3-x64-64 (0x22), got " + shard.hashType());
    }
    if (shard.fanout() == null) {
      throw new UnixfsData.UnixfsException("HAMT shard without fanout");
    }
    return new Hamt(shard.fanout());
  }

  /** Hex characters of a link name's bucket prefix. */
  public int prefixWidth() {
    return prefixWidth;
  }

  /** The 64 hash bits of an entry name. */
  public static long hash(String name) {
    return MurmurHash3.hash128x64(name.getBytes(StandardCharsets.UTF_8))[0];
  }

  /** The link-name prefix of {@code hash}'s bucket at {@code depth} (0 at the root shard). */
  public String prefix(long hash, int depth) {
    int consumed = depth * bitsPerLevel;
    if (consumed + bitsPerLevel > Long.SIZE) {
      throw new UnixfsData.UnixfsException("HAMT deeper than its 64 hash bits allow (depth " + depth + ")");
    }
    long index = (hash >>> (Long.SIZE - consumed - bitsPerLevel)) & ((1L << bitsPerLevel) - 1);
    String hex = Long.toHexString(index).toUpperCase(Locale.ROOT);
    return "0".repeat(prefixWidth - hex.length()) + hex;
  }

  /** Whether a link of a shard points at a sub-shard (its name is only the prefix). */
  public boolean isShardLink(String linkName) {
    return linkName.length() == prefixWidth;
  }
}
