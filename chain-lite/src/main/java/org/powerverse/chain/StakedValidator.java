package org.powerverse.chain;

import java.math.BigInteger;
import java.util.Objects;

/** A staker: its stake in wei and the Ed25519 VRF public key it registered for sortition. */
public record StakedValidator(Address address, BigInteger stake, Bytes32 vrfPublicKey) {

  public StakedValidator {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(stake, "stake");
    Objects.requireNonNull(vrfPublicKey, "vrfPublicKey");
  }

  /** The sortition weight: whole coins staked (docs/chain.md, "Sortition", units). */
  public long weight() {
    return stake.divide(Economics.WEI_PER_COIN).longValueExact();
  }
}
