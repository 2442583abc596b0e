package org.powerverse.platform;

/**
 * What an API token may do. Each operation in the OpenAPI contract names the least role it needs
 * ({@code x-powerverse-role}); without one, reads need {@link #reader} and everything else
 * {@link #operator}.
 */
public enum Role {
  /** May only read (GET/HEAD). */
  reader,
  /** May read and change the node: VMs, jobs, benchmarks; not tokens. */
  operator,
  /** May do everything, including issuing and revoking tokens. */
  admin;

  /** Whether a holder of this role may call an operation that needs {@code required}. */
  public boolean allows(Role required) {
    return compareTo(required) >= 0;
  }
}
