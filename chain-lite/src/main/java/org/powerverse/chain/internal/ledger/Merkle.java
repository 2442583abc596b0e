package org.powerverse.chain.internal.ledger;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.powerverse.chain.internal.Keccak;

/**
 * The binary Merkle tree of RFC 6962 §2.1 (Certificate Transparency), with the hash as a
 * parameter: leaves are hashed as H(0x00 || leaf), inner nodes as H(0x01 || left || right), the
 * tree of n leaves splits at the largest power of two below n, and the empty tree's root is H("").
 * The prefixes keep a leaf from posing as an inner node (the second-preimage attack on plain
 * Merkle trees). The chain uses Keccak-256; RFC 6962's own SHA-256 serves the test vectors.
 */
public final class Merkle {

  private final Function<byte[], byte[]> hash;

  public Merkle(Function<byte[], byte[]> hash) {
    this.hash = Objects.requireNonNull(hash, "hash");
  }

  public static final Merkle KECCAK = new Merkle(Keccak::keccak256);

  public byte[] root(List<byte[]> leaves) {
    Objects.requireNonNull(leaves, "leaves");
    if (leaves.isEmpty()) {
      return hash.apply(new byte[0]);
    }
    return subtree(leaves, 0, leaves.size());
  }

  private byte[] subtree(List<byte[]> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      byte[] leaf = leaves.get(from);
      byte[] input = new byte[leaf.length + 1];
      System.arraycopy(leaf, 0, input, 1, leaf.length);
      return hash.apply(input);
    }
    // RFC 6962 §2.1: k is the largest power of two smaller than n.
    int k = Integer.highestOneBit(n - 1);
    byte[] left = subtree(leaves, from, from + k);
    byte[] right = subtree(leaves, from + k, to);
    byte[] input = new byte[1 + left.length + right.length];
    input[0] = 0x01;
    System.arraycopy(left, 0, input, 1, left.length);
    System.arraycopy(right, 0, input, 1 + left.length, right.length);
    return hash.apply(input);
  }
}
