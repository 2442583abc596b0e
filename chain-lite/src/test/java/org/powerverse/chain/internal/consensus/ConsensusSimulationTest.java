package org.powerverse.chain.internal.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.internal.consensus.ConsensusSimulator.Config;
import org.powerverse.chain.internal.consensus.ConsensusSimulator.SimBlock;

class ConsensusSimulationTest {

  /** -Dconsensus.seeds=N runs more; -Dconsensus.seed=S replays one. */
  static final int SEEDS = Integer.getInteger("consensus.seeds", 2000);

  @Test
  void safeAndLiveUnderFaultsForManySeeds() {
    Long only = Long.getLong("consensus.seed");
    long first = only != null ? only : 1;
    long last = only != null ? only : SEEDS;
    long finalized = 0;
    for (long seed = first; seed <= last; seed++) {
      finalized += new ConsensusSimulator(Config.random(seed)).run().finalizedHeights();
    }
    assertTrue(finalized >= (last - first + 1) * ConsensusSimulator.HEIGHTS_AFTER_HEAL,
        "every run finalized blocks: " + finalized);
  }

  @Test
  void aPerfectNetworkFinalizesAHeightEveryFewTicks() {
    ConsensusSimulator simulator = new ConsensusSimulator(new Config(7, List.of(1L, 1L, 1L, 1L),
        Set.of(), 0, 0, 1, 0, 400, false, false)).run();
    // Each height takes the propose timeout (10 ticks) plus two one-tick hops of votes.
    assertTrue(simulator.finalizedHeights() >= 25, "heights: " + simulator.finalizedHeights());
  }

  @Test
  void theCheckerCatchesAForkWhenByzantineWeightReachesOneThird() {
    // 2 of 4 equal validators byzantine (1/2 ≥ 1/3), telling the two isolated honest ones
    // different stories: the simulator must report two finalized blocks at one height.
    int violations = 0;
    for (long seed = 1; seed <= 30; seed++) {
      try {
        new ConsensusSimulator(new Config(seed, List.of(1L, 1L, 1L, 1L), Set.of(2, 3), 0, 0, 2,
            300, 600, true, true)).run();
      } catch (ConsensusSimulator.Violation expected) {
        if (expected.getMessage().contains("safety")) {
          violations++;
        }
      }
    }
    assertTrue(violations > 0, "no fork found: the safety check would be vacuous");
  }

  @Test
  void decisionCertificateCatchesUpALaggingValidator() {
    // Validators 0..2 finalize height 1 without validator 3; its first message at height 1 is
    // answered with the decision, whose certificate it checks before finalizing.
    ValidatorSet set = new ValidatorSet(List.of(1L, 1L, 1L, 1L));
    List<Agreement<SimBlock>> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(new Agreement<>(i, set, new ConsensusSimulator.SimApplication(i),
          ConsensusSimulator.TIMEOUTS, 1));
    }
    List<ConsensusMessage<SimBlock>> inFlight = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      collect(nodes.get(i).start(0), inFlight);
    }
    for (long t = 1; t < 200 && nodes.get(0).height() == 1; t++) {
      List<ConsensusMessage<SimBlock>> now = new ArrayList<>(inFlight);
      inFlight.clear();
      for (ConsensusMessage<SimBlock> message : now) {
        for (int i = 0; i < 3; i++) {
          if (i != message.sender()) {
            collect(nodes.get(i).onMessage(message), inFlight);
          }
        }
      }
      for (int i = 0; i < 3; i++) {
        collect(nodes.get(i).onTick(t), inFlight);
      }
    }
    assertEquals(2, nodes.get(0).height());
    ConsensusMessage.Decision<SimBlock> decision = nodes.get(0).decision(1).orElseThrow();
    Agreement<SimBlock> lagging = nodes.get(3);
    lagging.start(0);
    List<Output<SimBlock>> replies = nodes.get(0).onMessage(new ConsensusMessage.Vote<>(
        ConsensusMessage.VoteType.PREVOTE, 1, 0, Optional.empty(), 3));
    assertTrue(replies.contains(new Output.Send<>(3, decision)), replies.toString());
    // A forged certificate (too few votes) is refused; the real one is accepted.
    ConsensusMessage.Decision<SimBlock> forged = new ConsensusMessage.Decision<>(1,
        decision.block(), decision.blockId(), decision.certificate().subList(0, 1), 0);
    lagging.onMessage(forged);
    assertEquals(1, lagging.height());
    List<Output<SimBlock>> outputs = lagging.onMessage(decision);
    assertEquals(2, lagging.height());
    Bytes32 committed = outputs.stream().filter(o -> o instanceof Output.Commit<SimBlock>)
        .map(o -> ((Output.Commit<SimBlock>) o).blockId()).findFirst().orElseThrow();
    assertEquals(decision.blockId(), committed);
  }

  private static void collect(List<Output<SimBlock>> outputs, List<ConsensusMessage<SimBlock>> into) {
    for (Output<SimBlock> output : outputs) {
      if (output instanceof Output.Broadcast<SimBlock> broadcast) {
        into.add(broadcast.message());
      }
    }
  }
}
