package org.powerverse.platform;

import java.util.Objects;

/**
 * Who made an authenticated request: the token's id and name (never the secret) and its role.
 */
public record Principal(String tokenId, String name, Role role) {

  public Principal {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
  }
}
