package org.powerverse.chain;

import org.powerverse.platform.Doc;

/**
 * A config file that holds only the {@code chain} section, as {@code powerverse chain devnet}
 * writes it for each validator; the same file is a valid node config for {@code powerverse run}.
 */
@Doc("A node config with the chain section only.")
public record ValidatorConfigFile(
    @Doc("The chain section (docs/configuration.md).")
    ChainConfig chain) {

  public ValidatorConfigFile {
    chain = chain == null ? ChainConfig.defaults() : chain;
  }
}
