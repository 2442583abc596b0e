package org.powerverse.chain.internal.consensus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Proposal;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Vote;
import org.powerverse.chain.internal.consensus.ConsensusMessage.VoteType;

/**
 * Deterministic simulation (STYLE.md §6): N validators in one process over a seeded network that
 * drops, delays, duplicates and reorders messages, partitions the validators and crashes and
 * restarts them until a heal time, with byzantine validators that equivocate and propose invalid
 * blocks throughout. After every delivered message and every tick it checks safety: no two
 * different blocks finalized at one height, every finalized block valid. At the end it checks
 * liveness: after the heal every honest validator finalized some more heights. One seed
 * reproduces a run.
 */
final class ConsensusSimulator {

  /** A block of the simulation: valid or not by construction, identified by a hash. */
  record SimBlock(long height, int proposer, int round, boolean valid, Bytes32 id) {}

  /**
   * A scenario. equivocateToHalves: byzantine votes name validator 0's block to even validators
   * and the empty block to odd ones. partitionHalvesUntilHeal: honest validators of different
   * parity cannot reach each other until the heal.
   */
  record Config(long seed, List<Long> weights, Set<Integer> byzantine, double dropRate,
      double duplicateRate, int maxDelay, long healTime, long endTime, boolean equivocateToHalves,
      boolean partitionHalvesUntilHeal) {

    /** A random scenario with byzantine weight below 1/3. */
    static Config random(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      int n = 4 + random.nextInt(4);
      List<Long> weights = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        weights.add(random.nextBoolean() ? 1L : 1L + random.nextInt(10));
      }
      long total = weights.stream().mapToLong(Long::longValue).sum();
      Set<Integer> byzantine = new HashSet<>();
      long byzantineWeight = 0;
      for (int i : shuffled(n, random)) {
        if (random.nextInt(3) == 0 && 3 * (byzantineWeight + weights.get(i)) < total) {
          byzantine.add(i);
          byzantineWeight += weights.get(i);
        }
      }
      long heal = 100 + random.nextInt(500);
      return new Config(seed, weights, byzantine, random.nextDouble() * 0.3,
          random.nextDouble() * 0.2, 1 + random.nextInt(20), heal, heal + 2500,
          random.nextBoolean(), false);
    }
  }

  static final Timeouts TIMEOUTS = new Timeouts(10, 6, 6, 4, 15);
  static final int HEIGHTS_AFTER_HEAL = 3;
  static final int MAX_DELAY_AFTER_HEAL = 5;

  private final Config config;
  private final SplittableRandom random;
  private final ValidatorSet validators;
  private final List<Agreement<SimBlock>> nodes = new ArrayList<>();
  private final PriorityQueue<Delivery> queue = new PriorityQueue<>();
  private final Map<Long, Bytes32> finalized = new HashMap<>();
  private final Map<Integer, Long> downUntil = new HashMap<>();
  private final long[] heightAtHeal;
  private Set<Integer> partitionA = Set.of();
  private long time;
  private long sequence;
  private long steps;

  private record Delivery(long time, long sequence, int to, ConsensusMessage<SimBlock> message)
      implements Comparable<Delivery> {
    @Override
    public int compareTo(Delivery other) {
      int byTime = Long.compare(time, other.time);
      return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
    }
  }

  /** What went wrong, with the seed to replay it. */
  static final class Violation extends AssertionError {
    Violation(Config config, String what) {
      super("seed " + config.seed() + ": " + what + " (" + config + ")");
    }
  }

  ConsensusSimulator(Config config) {
    this.config = config;
    this.random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    this.validators = new ValidatorSet(config.weights());
    this.heightAtHeal = new long[config.weights().size()];
    for (int i = 0; i < validators.size(); i++) {
      nodes.add(new Agreement<>(i, validators, new SimApplication(i), TIMEOUTS, 1));
    }
  }

  /** Runs to the end; throws {@link Violation} on the first broken property. */
  ConsensusSimulator run() {
    for (int i = 0; i < nodes.size(); i++) {
      handle(i, nodes.get(i).start(0));
    }
    for (time = 1; time <= config.endTime(); time++) {
      if (time == config.healTime()) {
        for (int i = 0; i < nodes.size(); i++) {
          heightAtHeal[i] = nodes.get(i).height();
        }
      }
      disturbNetwork();
      while (!queue.isEmpty() && queue.peek().time() <= time) {
        Delivery delivery = queue.poll();
        if (isUp(delivery.to())) {
          handle(delivery.to(), nodes.get(delivery.to()).onMessage(delivery.message()));
        }
      }
      for (int i = 0; i < nodes.size(); i++) {
        if (isUp(i)) {
          handle(i, nodes.get(i).onTick(time));
        }
      }
    }
    for (int i = 0; i < nodes.size(); i++) {
      if (!config.byzantine().contains(i)
          && nodes.get(i).height() < heightAtHeal[i] + HEIGHTS_AFTER_HEAL) {
        throw new Violation(config, "liveness: validator " + i + " went from height "
            + heightAtHeal[i] + " at the heal (t=" + config.healTime() + ") only to "
            + nodes.get(i).height() + " by t=" + config.endTime() + "; validators: " + states());
      }
    }
    return this;
  }

  private String states() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < nodes.size(); i++) {
      out.append(i).append(config.byzantine().contains(i) ? "(byz)" : "").append(' ')
          .append(nodes.get(i).describe()).append("; ");
    }
    return out.toString();
  }

  long steps() {
    return steps;
  }

  long finalizedHeights() {
    return finalized.size();
  }

  private boolean healed() {
    return time >= config.healTime();
  }

  private boolean isUp(int node) {
    return healed() || downUntil.getOrDefault(node, 0L) <= time;
  }

  /** Before the heal: crash and restart honest validators, and move the partition around. */
  private void disturbNetwork() {
    if (healed()) {
      partitionA = Set.of();
      return;
    }
    if (config.partitionHalvesUntilHeal()) {
      return; // see send()
    }
    if (random.nextInt(100) == 0) {
      Set<Integer> side = new HashSet<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (random.nextBoolean()) {
          side.add(i);
        }
      }
      partitionA = random.nextBoolean() ? side : Set.of();
    }
    if (random.nextInt(150) == 0) {
      // A crash keeps the state (as a node that writes its votes and locks ahead of sending does)
      // and loses whatever arrives while it is down.
      int node = random.nextInt(nodes.size());
      downUntil.put(node, time + 1 + random.nextInt(200));
    }
  }

  private void handle(int from, List<Output<SimBlock>> outputs) {
    for (Output<SimBlock> output : outputs) {
      switch (output) {
        case Output.Broadcast<SimBlock> b -> {
          for (int to = 0; to < nodes.size(); to++) {
            if (to != from) {
              send(from, to, corrupt(from, to, b.message()));
            }
          }
        }
        case Output.Send<SimBlock> s -> send(from, s.to(), s.message());
        case Output.Commit<SimBlock> c -> finalize(from, c);
      }
    }
    steps++;
  }

  private void finalize(int node, Output.Commit<SimBlock> commit) {
    if (config.byzantine().contains(node)) {
      return;
    }
    if (!commit.block().valid()) {
      throw new Violation(config, "validity: validator " + node + " finalized an invalid block "
          + commit.block() + " at height " + commit.height());
    }
    Bytes32 earlier = finalized.putIfAbsent(commit.height(), commit.blockId());
    if (earlier != null && !earlier.equals(commit.blockId())) {
      throw new Violation(config, "safety: two blocks finalized at height " + commit.height()
          + ": " + earlier + " and " + commit.blockId() + " (validator " + node + ", t=" + time + ")");
    }
  }

  private void send(int from, int to, ConsensusMessage<SimBlock> message) {
    if (message == null) {
      return;
    }
    if (!healed()) {
      if (partitionA.contains(from) != partitionA.contains(to) && !partitionA.isEmpty()) {
        return;
      }
      if (config.partitionHalvesUntilHeal() && from % 2 != to % 2
          && !config.byzantine().contains(from) && !config.byzantine().contains(to)) {
        return; // honest validators hear only their own parity; byzantine ones reach all
      }
      if (random.nextDouble() < config.dropRate()) {
        return;
      }
    }
    int maxDelay = healed() ? Math.min(config.maxDelay(), MAX_DELAY_AFTER_HEAL) : config.maxDelay();
    queue.add(new Delivery(time + 1 + random.nextInt(maxDelay), sequence++, to, message));
    if (!healed() && random.nextDouble() < config.duplicateRate()) {
      queue.add(new Delivery(time + 1 + random.nextInt(config.maxDelay() * 3), sequence++, to, message));
    }
  }

  /**
   * A byzantine validator's copy of a message for one peer: votes for other values (one value
   * per half of the validators when equivocating to halves, random ones otherwise), and invalid
   * blocks in place of its proposals. It cannot forge others' messages or its own priority.
   */
  private ConsensusMessage<SimBlock> corrupt(int from, int to, ConsensusMessage<SimBlock> message) {
    if (!config.byzantine().contains(from)) {
      return message;
    }
    return switch (message) {
      case Vote<SimBlock> vote -> {
        if (config.equivocateToHalves()) {
          // Even validators are told of validator 0's block, odd ones of the empty block.
          Bytes32 side = to % 2 == 0 ? blockId("block", vote.height(), vote.round(), 0)
              : SimApplication.emptyId(vote.height());
          yield new Vote<>(vote.type(), vote.height(), vote.round(), Optional.of(side), from);
        }
        yield switch (random.nextInt(4)) {
          case 0 -> vote;
          case 1 -> new Vote<>(vote.type(), vote.height(), vote.round(), Optional.empty(), from);
          case 2 -> new Vote<>(vote.type(), vote.height(), vote.round(),
              Optional.of(SimApplication.emptyId(vote.height())), from);
          default -> new Vote<>(vote.type(), vote.height(), vote.round() + random.nextInt(2),
              Optional.of(blockId("invalid", vote.height(), vote.round(), from)), from);
        };
      }
      case Proposal<SimBlock> proposal -> {
        if (random.nextBoolean()) {
          yield proposal;
        }
        SimBlock invalid = new SimBlock(proposal.height(), from, proposal.round(), false,
            blockId("invalid", proposal.height(), proposal.round(), from));
        yield new Proposal<>(proposal.height(), proposal.round(), invalid, invalid.id(), -1,
            proposal.priority(), from);
      }
      default -> message;
    };
  }

  static Bytes32 blockId(String kind, long height, int round, int proposer) {
    return hash(kind, height, round, proposer);
  }

  static Bytes32 hash(Object... parts) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      for (Object part : parts) {
        sha256.update(part.toString().getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) 0);
      }
      return new Bytes32(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Blocks as the ledger would build them, proposers chosen by a hash standing in for sortition. */
  static final class SimApplication implements Application<SimBlock> {
    private final int node;

    SimApplication(int node) {
      this.node = node;
    }

    static Bytes32 emptyId(long height) {
      return hash("empty", height);
    }

    @Override
    public Bytes32 id(SimBlock block) {
      return block.id();
    }

    @Override
    public boolean isValid(SimBlock block, long height) {
      return block.valid() && block.height() == height;
    }

    @Override
    public SimBlock emptyBlock(long height) {
      return new SimBlock(height, -1, -1, true, emptyId(height));
    }

    /** About half the validators propose in each round; the priority is their "VRF" hash. */
    @Override
    public Optional<Bytes32> proposerPriority(long height, int round) {
      Bytes32 priority = hash("priority", height, round, node);
      return (priority.bytes()[0] & 0x80) == 0 ? Optional.of(priority) : Optional.empty();
    }

    @Override
    public SimBlock buildBlock(long height, int round) {
      return new SimBlock(height, node, round, true, blockId("block", height, round, node));
    }
  }

  private static List<Integer> shuffled(int n, SplittableRandom random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer tmp = order.get(i);
      order.set(i, order.get(j));
      order.set(j, tmp);
    }
    return order;
  }
}
