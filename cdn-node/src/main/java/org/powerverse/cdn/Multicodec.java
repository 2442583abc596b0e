package org.powerverse.cdn;

import java.util.Optional;

/**
 * The multicodec table entries this node knows (multiformats/multicodec, table.csv). A CID may
 * carry any codec code; these are the ones the node can name, hash or interpret.
 */
public enum Multicodec {
  /** The identity multihash: the digest is the data itself. */
  IDENTITY(0x00, "identity"),
  /** SHA2-256, the multihash of nearly every IPFS block. */
  SHA2_256(0x12, "sha2-256"),
  /** Raw binary: a block whose bytes are the data (UnixFS raw leaves). */
  RAW(0x55, "raw"),
  /** MerkleDAG protobuf (UnixFS files and directories). */
  DAG_PB(0x70, "dag-pb"),
  /** MerkleDAG CBOR (IPLD). */
  DAG_CBOR(0x71, "dag-cbor"),
  /** A libp2p public key (IPNS names as CIDs). */
  LIBP2P_KEY(0x72, "libp2p-key"),
  /** MerkleDAG JSON (IPLD). */
  DAG_JSON(0x0129, "dag-json");

  private final long code;
  private final String codecName;

  Multicodec(long code, String codecName) {
    this.code = code;
    this.codecName = codecName;
  }

  public long code() {
    return code;
  }

  /** The name in the multicodec table ({@code dag-pb}). */
  public String codecName() {
    return codecName;
  }

  public static Optional<Multicodec> of(long code) {
    for (Multicodec codec : values()) {
      if (codec.code == code) {
        return Optional.of(codec);
      }
    }
    return Optional.empty();
  }

  /** The table name of a code, or its hex when the node does not know it. */
  public static String nameOf(long code) {
    return of(code).map(Multicodec::codecName).orElse("0x" + Long.toHexString(code));
  }
}
