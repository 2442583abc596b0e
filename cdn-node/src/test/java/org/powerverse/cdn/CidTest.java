package org.powerverse.cdn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Known CIDs from the specs: CID spec README's example, dag-pb spec's zero-length block, IPIP-499's
 * "hello world" raw leaf, the trustless gateway spec's probe, gateway-conformance's fixtures.
 */
class CidTest {

  private static final byte[] EMPTY = new byte[0];

  @Test
  void helloWorldRawBlockHasTheProfileVectorCid() {
    // IPIP-0499 unixfs-v1-2025 fixture "Small file: hello world string, raw leaf".
    Cid cid = Cid.rawSha256("hello world".getBytes(StandardCharsets.US_ASCII));
    assertEquals("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", cid.toString());
    // gateway-conformance hello.txt is "hello world\n".
    assertEquals("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4",
        Cid.rawSha256("hello world\n".getBytes(StandardCharsets.US_ASCII)).toString());
  }

  @Test
  void parsesTheCidSpecExampleInBase58btc() {
    Cid cid = Cid.parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
    assertEquals(1, cid.version());
    assertEquals(Multicodec.RAW.code(), cid.codec());
    assertEquals(Multicodec.SHA2_256.code(), cid.multihash().code());
    assertEquals("6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95",
        HexFormat.of().formatHex(cid.multihash().digest()));
    assertEquals("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", cid.toString(Multibase.BASE58BTC));
  }

  @Test
  void convertsTheZeroLengthDagPbBlockBetweenVersions() {
    // dag-pb spec, "Zero-length blocks".
    Multihash hash = Multihash.sha256(EMPTY);
    Cid v0 = Cid.v0(hash);
    Cid v1 = Cid.v1(Multicodec.DAG_PB, hash);
    assertEquals("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n", v0.toString());
    assertEquals("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku", v1.toString());
    assertEquals(v1, Cid.parse(v0.toString()).toV1());
    assertEquals(v0, Cid.parse(v1.toString()).toV0());
    assertEquals(v0, Cid.decode(v0.bytes()));
    assertEquals(34, v0.byteLength());
  }

  @Test
  void probeCidIsTheEmptyIdentityRawBlock() {
    Cid probe = Cid.parse("bafkqaaa");
    assertEquals(Cid.EMPTY_IDENTITY_RAW, probe);
    assertTrue(probe.isIdentity());
    assertArrayEquals(new byte[] {1, 0x55, 0, 0}, probe.bytes());
    assertTrue(probe.multihash().matches(EMPTY));
  }

  @Test
  void libp2pKeyInBase36RoundTrips() {
    // An IPNS name from gateway-conformance's tooling/ipns fixtures: CIDv1 libp2p-key, identity hash.
    String name = "k51qzi5uqu5dgh7y9l90nqs6tvnzcm9erbt8fhzg3fu79p5qt9zb2izvfu51ki";
    Cid cid = Cid.parse(name);
    assertEquals(Multicodec.LIBP2P_KEY.code(), cid.codec());
    assertTrue(cid.isIdentity());
    assertEquals(name, cid.toString(Multibase.BASE36));
    assertEquals(cid, Cid.parse(cid.toString()));
  }

  @Test
  void rejectsMalformedCids() {
    assertThrows(IllegalArgumentException.class, () -> Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1"));
    assertThrows(IllegalArgumentException.class, () -> Cid.parse("bafy"));
    assertThrows(IllegalArgumentException.class, () -> Cid.parse("not-a-cid"));
    assertThrows(IllegalArgumentException.class, () -> Cid.parse(""));
    // CIDv2 is reserved (CID spec, "Versions").
    assertThrows(IllegalArgumentException.class, () -> Cid.decode(new byte[] {2, 0x55, 0, 0}));
    // A sha2-256 multihash whose digest is not 32 bytes.
    assertThrows(IllegalArgumentException.class, () -> Cid.decode(new byte[] {1, 0x55, 0x12, 1, 0}));
    // A CIDv0 may not be written with a multibase prefix.
    assertThrows(IllegalArgumentException.class,
        () -> Cid.parse(Multibase.BASE32.encode(Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n").bytes())));
    assertThrows(IllegalArgumentException.class, () -> Cid.rawSha256(EMPTY).toV0());
  }

  @Test
  void readsCidsFromStreamsAndStopsAtTheirEnd() throws IOException {
    Cid v0 = Cid.parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
    Cid v1 = Cid.rawSha256(EMPTY);
    byte[] both = new byte[v0.byteLength() + v1.byteLength() + 1];
    System.arraycopy(v0.bytes(), 0, both, 0, v0.byteLength());
    System.arraycopy(v1.bytes(), 0, both, v0.byteLength(), v1.byteLength());
    both[both.length - 1] = 42;
    ByteArrayInputStream in = new ByteArrayInputStream(both);
    assertEquals(v0, Cid.read(in));
    assertEquals(v1, Cid.read(in));
    assertEquals(42, in.read());
    assertThrows(EOFException.class, () -> Cid.read(new ByteArrayInputStream(new byte[] {1, 0x55, 0x12, 0x20, 1})));
  }
}
