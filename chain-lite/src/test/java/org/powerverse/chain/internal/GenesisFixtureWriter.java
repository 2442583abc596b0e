package org.powerverse.chain.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.powerverse.chain.GenesisJson;
import org.powerverse.chain.internal.ledger.TestChain;

/** Writes src/test/resources/chain/test-genesis.json (run by hand when TestChain changes). */
final class GenesisFixtureWriter {
  private GenesisFixtureWriter() {}

  public static void main(String[] args) throws Exception {
    Files.write(Path.of(args[0]), GenesisJson.write(TestChain.genesis(4, 200)));
  }
}
