package org.powerverse.chain;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * What the prover gets from ECVRF (whitepaper: {@code <hash, π> = VRF_sk(M)}): the 80-byte proof
 * π (RFC 9381 pi_string = Gamma || c || s) and the 64-byte output hash (beta_string).
 */
public record VrfResult(byte[] proof, byte[] output) {

  public VrfResult {
    if (proof.length != Ecvrf.PROOF_BYTES) {
      throw new IllegalArgumentException("a proof has " + Ecvrf.PROOF_BYTES + " bytes, got " + proof.length);
    }
    if (output.length != Ecvrf.OUTPUT_BYTES) {
      throw new IllegalArgumentException("an output has " + Ecvrf.OUTPUT_BYTES + " bytes, got " + output.length);
    }
    proof = proof.clone();
    output = output.clone();
  }

  @Override
  public byte[] proof() {
    return proof.clone();
  }

  @Override
  public byte[] output() {
    return output.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VrfResult that
        && Arrays.equals(proof, that.proof)
        && Arrays.equals(output, that.output);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(proof) + Arrays.hashCode(output);
  }

  @Override
  public String toString() {
    return "VrfResult[proof=" + HexFormat.of().formatHex(proof)
        + ", output=" + HexFormat.of().formatHex(output) + "]";
  }
}
