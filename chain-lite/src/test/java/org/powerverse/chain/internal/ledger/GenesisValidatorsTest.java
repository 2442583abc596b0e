package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.GenesisJson;
import org.powerverse.chain.StakedValidator;

/** Validators staked at genesis: in the file, in the staking storage, and backed by coins. */
class GenesisValidatorsTest {

  @Test
  void genesisValidatorsRoundTripAndAreStakedInTheGenesisState() {
    Genesis genesis = TestChain.genesisWithValidators(2, 500, 3);
    assertEquals(genesis, GenesisJson.parse(GenesisJson.write(genesis)));
    var state = new Ledger(genesis).genesisState();
    assertEquals(new java.util.HashSet<>(genesis.validators()), new java.util.HashSet<>(Staking.validators(state)));
    BigInteger staked = genesis.validators().stream().map(StakedValidator::stake).reduce(BigInteger.ZERO, BigInteger::add);
    assertEquals(staked, state.account(Staking.ADDRESS).balance());
  }

  @Test
  void refusesAGenesisValidatorBelowTheMinimumStakeOrWithABadKey() {
    String json = new String(GenesisJson.write(TestChain.genesisWithValidators(1, 500, 1)), StandardCharsets.UTF_8);
    assertThrows(IllegalArgumentException.class,
        () -> GenesisJson.parse(json.replace("\"1000000000000000000000\"\n  } ]\n}", "\"1\"\n  } ]\n}").replace(
            "\"stake\" : \"1000000000000000000000\"", "\"stake\" : \"1\"").getBytes(StandardCharsets.UTF_8)));
    assertThrows(IllegalArgumentException.class,
        () -> GenesisJson.parse(json.replaceFirst("\"vrfPublicKey\" : \"[0-9a-f]{64}\"", "\"vrfPublicKey\" : \"abcd\"")
            .getBytes(StandardCharsets.UTF_8)));
  }
}
