package org.powerverse.chain;

import java.util.List;

/** One entry of an EIP-2930 access list (carried by EIP-1559 transactions). */
public record AccessListEntry(Address address, List<Bytes32> storageKeys) {

  public AccessListEntry {
    java.util.Objects.requireNonNull(address, "address");
    storageKeys = List.copyOf(storageKeys);
  }
}
