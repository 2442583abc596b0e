package org.powerverse.chain.internal.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class FeeMarketTest {

  @Test
  void matchesGoEthereumBaseFeeCases() {
    var cases = Fixtures.lines("/ledger/eip1559-base-fee.txt");
    assertEquals(3, cases.size());
    for (String[] c : cases) {
      assertEquals(new BigInteger(c[3]),
          FeeMarket.nextBaseFee(Long.parseLong(c[0]), Long.parseLong(c[1]), new BigInteger(c[2])), String.join(" ", c));
    }
  }

  @Test
  void risesByAtLeastOneWeiWhenAboveTarget() {
    // 7 wei × 1 / (10,000,000 × 8) floors to 0; EIP-1559 makes the increase at least 1.
    assertEquals(BigInteger.valueOf(8), FeeMarket.nextBaseFee(20_000_000, 10_000_001, BigInteger.valueOf(7)));
  }

  @Test
  void fullBlocksRaiseByAnEighthAndEmptyBlocksLowerByAnEighth() {
    BigInteger fee = BigInteger.valueOf(8_000_000_000L);
    assertEquals(BigInteger.valueOf(9_000_000_000L), FeeMarket.nextBaseFee(30_000_000, 30_000_000, fee));
    assertEquals(BigInteger.valueOf(7_000_000_000L), FeeMarket.nextBaseFee(30_000_000, 0, fee));
  }

  @Test
  void rejectsGasUsedAboveTheLimit() {
    assertThrows(IllegalArgumentException.class, () -> FeeMarket.nextBaseFee(100, 101, BigInteger.ONE));
  }
}
