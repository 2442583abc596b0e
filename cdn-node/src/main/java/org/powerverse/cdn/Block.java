package org.powerverse.cdn;

import java.util.Objects;

/**
 * A block: bytes and the CID that names them. Construction does not hash; {@link #verified}
 * does, and is what every path from outside (CAR files, upstream gateways, uploads) goes through.
 */
public record Block(Cid cid, byte[] data) {

  public Block {
    Objects.requireNonNull(cid, "cid");
    Objects.requireNonNull(data, "data");
  }

  /** The block, after checking that {@code data} hashes to the CID's multihash. */
  public static Block verified(Cid cid, byte[] data) {
    if (!cid.multihash().matches(data)) {
      throw new BlockMismatchException(cid, data.length);
    }
    return new Block(cid, data);
  }

  /** Data that does not hash to the CID it came with. */
  public static final class BlockMismatchException extends IllegalArgumentException {
    private final Cid cid;

    public BlockMismatchException(Cid cid, int length) {
      super("block of " + length + " bytes does not hash to its CID " + cid);
      this.cid = cid;
    }

    public Cid cid() {
      return cid;
    }
  }
}
