package org.powerverse.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SortitionCommandTest {

  static final String ZERO_OUTPUT = "00".repeat(64);
  static final String HALF_OUTPUT = "80" + "00".repeat(63);

  @Test
  void printsSubUsers() {
    VrfCommandTest.Run run = VrfCommandTest.run("sortition", "--vrf-output", HALF_OUTPUT,
        "--weight", "1", "--total-weight", "2", "--tau", "1");
    // w = 1, p = 1/2: CDF(0) = 1/2, and r = 1/2 lies in [CDF(0), CDF(1)) = [1/2, 1).
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("1", run.out().strip());
    VrfCommandTest.Run zero = VrfCommandTest.run("sortition", "--vrf-output", ZERO_OUTPUT,
        "--weight", "1000", "--total-weight", "1000000", "--tau", "2000");
    assertEquals("0", zero.out().strip());
  }

  @Test
  void rejectsWeightAboveTotalAsUsageError() {
    VrfCommandTest.Run run = VrfCommandTest.run("sortition", "--vrf-output", ZERO_OUTPUT,
        "--weight", "11", "--total-weight", "10", "--tau", "1");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("weight must be between 0 and the total weight 10, got 11"), run.err());
  }

  @Test
  void rejectsOutputOfWrongLength() {
    VrfCommandTest.Run run = VrfCommandTest.run("sortition", "--vrf-output", "00",
        "--weight", "1", "--total-weight", "10", "--tau", "1");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--vrf-output: expected 64 bytes"), run.err());
  }
}
