package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.powerverse.chain.internal.Keccak;
import org.powerverse.chain.internal.Rlp;

/**
 * A block header (issue 7, "Ledger and state"). The hash is keccak256 of the RLP of every field
 * but the certificate, since the certificate's votes sign that hash. {@code parentHash} is the
 * whitepaper's PrevHash; {@code vrfProof} is the proposer's seed proof (docs/chain.md, "Seeds").
 */
public record BlockHeader(Bytes32 parentHash, long height, long round, long timestamp, Address proposer,
    Bytes32 txRoot, Bytes32 stateRoot, Bytes32 receiptsRoot, long gasLimit, long gasUsed,
    BigInteger baseFeePerGas, byte[] vrfProof, byte[] certificate) {

  public BlockHeader {
    Objects.requireNonNull(parentHash, "parentHash");
    Objects.requireNonNull(proposer, "proposer");
    Objects.requireNonNull(txRoot, "txRoot");
    Objects.requireNonNull(stateRoot, "stateRoot");
    Objects.requireNonNull(receiptsRoot, "receiptsRoot");
    Objects.requireNonNull(baseFeePerGas, "baseFeePerGas");
    vrfProof = vrfProof.clone();
    certificate = certificate.clone();
    if (height < 0 || round < 0 || gasLimit <= 0 || gasUsed < 0 || gasUsed > gasLimit) {
      throw new IllegalArgumentException("header: height " + height + ", round " + round + ", gas "
          + gasUsed + " of " + gasLimit + " out of range");
    }
  }

  public Bytes32 hash() {
    return new Bytes32(Keccak.keccak256(Rlp.encodeList(fields())));
  }

  public BlockHeader withCertificate(byte[] newCertificate) {
    return new BlockHeader(parentHash, height, round, timestamp, proposer, txRoot, stateRoot, receiptsRoot,
        gasLimit, gasUsed, baseFeePerGas, vrfProof, newCertificate);
  }

  /** rlp([...fields, certificate]): the stored form. */
  public byte[] encode() {
    List<byte[]> all = new java.util.ArrayList<>(fields());
    all.add(Rlp.encodeBytes(certificate));
    return Rlp.encodeList(all);
  }

  public static BlockHeader decode(byte[] encoded) {
    List<Rlp.Item> f = Rlp.list(Rlp.decode(encoded), "header");
    if (f.size() != 13) {
      throw new Rlp.RlpException("header: expected 13 fields, got " + f.size());
    }
    return new BlockHeader(new Bytes32(Rlp.bytes(f.get(0), "parentHash")), Rlp.uint63(f.get(1), "height"),
        Rlp.uint63(f.get(2), "round"), Rlp.uint63(f.get(3), "timestamp"),
        new Address(Rlp.bytes(f.get(4), "proposer")), new Bytes32(Rlp.bytes(f.get(5), "txRoot")),
        new Bytes32(Rlp.bytes(f.get(6), "stateRoot")), new Bytes32(Rlp.bytes(f.get(7), "receiptsRoot")),
        Rlp.uint63(f.get(8), "gasLimit"), Rlp.uint63(f.get(9), "gasUsed"),
        Rlp.integer(f.get(10), "baseFeePerGas", 32), Rlp.bytes(f.get(11), "vrfProof"),
        Rlp.bytes(f.get(12), "certificate"));
  }

  private List<byte[]> fields() {
    return List.of(Rlp.encodeBytes(parentHash.bytes()), Rlp.encodeInteger(height), Rlp.encodeInteger(round),
        Rlp.encodeInteger(timestamp), Rlp.encodeBytes(proposer.bytes()), Rlp.encodeBytes(txRoot.bytes()),
        Rlp.encodeBytes(stateRoot.bytes()), Rlp.encodeBytes(receiptsRoot.bytes()), Rlp.encodeInteger(gasLimit),
        Rlp.encodeInteger(gasUsed), Rlp.encodeInteger(baseFeePerGas), Rlp.encodeBytes(vrfProof));
  }

  @Override
  public byte[] vrfProof() {
    return vrfProof.clone();
  }

  @Override
  public byte[] certificate() {
    return certificate.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BlockHeader that && Arrays.equals(encode(), that.encode());
  }

  @Override
  public int hashCode() {
    return hash().hashCode();
  }

  @Override
  public String toString() {
    return "BlockHeader[height=" + height + ", round=" + round + ", hash=" + hash() + "]";
  }
}
