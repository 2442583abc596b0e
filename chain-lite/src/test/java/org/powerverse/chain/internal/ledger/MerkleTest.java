package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTest {

  private static final Merkle SHA256 = new Merkle(MerkleTest::sha256);

  @Test
  void matchesTheRfc6962ReferenceRootsForEveryTreeSize() {
    List<byte[]> leaves = new ArrayList<>();
    List<String[]> roots = new ArrayList<>();
    for (String[] line : Fixtures.lines("/ledger/rfc6962-roots.txt")) {
      if (line[0].equals("leaf")) {
        leaves.add(line[1].equals("-") ? new byte[0] : HexFormat.of().parseHex(line[1]));
      } else {
        roots.add(line);
      }
    }
    assertEquals(9, roots.size());
    for (String[] root : roots) {
      int n = Integer.parseInt(root[1]);
      assertEquals(root[2], HexFormat.of().formatHex(SHA256.root(leaves.subList(0, n))), "root of " + n + " leaves");
    }
  }

  @Test
  void aLeafCannotPoseAsAnInnerNode() {
    byte[] a = {1};
    byte[] b = {2};
    byte[] left = leafHash(a);
    byte[] right = leafHash(b);
    byte[] concatenated = new byte[64];
    System.arraycopy(left, 0, concatenated, 0, 32);
    System.arraycopy(right, 0, concatenated, 32, 32);
    assertNotEquals(HexFormat.of().formatHex(SHA256.root(List.of(a, b))),
        HexFormat.of().formatHex(SHA256.root(List.of(concatenated))));
  }

  private static byte[] leafHash(byte[] leaf) {
    byte[] input = new byte[leaf.length + 1];
    System.arraycopy(leaf, 0, input, 1, leaf.length);
    return sha256(input);
  }

  private static byte[] sha256(byte[] input) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(input);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
