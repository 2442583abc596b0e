package org.powerverse.chain.internal.consensus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Decision;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Proposal;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Vote;
import org.powerverse.chain.internal.consensus.ConsensusMessage.VoteType;

/**
 * One validator's agreement, a pure state machine (ARCHITECTURE.md §Consensus): messages and
 * ticks in, messages and commits out; no clock, socket, thread or randomness inside.
 *
 * <p>The whitepaper's two stages are Tendermint's prevote and precommit ("The latest gossip on
 * BFT consensus", Buchman, Kwon, Milosevic 2018, Algorithm 1), with the whitepaper's choices for
 * the proposal: several proposers per round, elected by sortition; at the propose timeout each
 * validator prevotes for the highest-priority valid proposal it has seen, or for the height's
 * empty block when it has seen none (stage 1); a block with precommits of more than 2/3 of the
 * weight in one round is final (stage 2), the empty block included. Tendermint's locks (a
 * validator that precommitted a block prevotes only for it until a later round shows a quorum of
 * prevotes for another) make two quorums for different blocks at one height impossible while
 * byzantine weight is below 1/3, whatever the network does; timeouts that grow with the round
 * give liveness once it behaves.
 */
public final class Agreement<B> {

  enum Step { PROPOSE, PREVOTE, PRECOMMIT }

  /** How far ahead of its height a validator keeps messages for later. */
  static final int FUTURE_HEIGHTS = 8;

  /**
   * Bounds on what one (possibly byzantine) sender can make a validator store: rounds this far
   * ahead at most, and two proposals per sender and round (two show equivocation). Votes are not
   * capped per voter: a cap would let a byzantine voter's junk crowd out its real vote, which
   * others relay as proof of lock, and stall the height (the simulator found it, seed 27); the
   * network shell's per-peer rate limits and bans for equivocation bound them instead.
   */
  static final int MAX_ROUNDS_AHEAD = 1000;
  static final int MAX_PROPOSALS_PER_SENDER = 2;

  private final int self;
  private final ValidatorSet validators;
  private final Application<B> app;
  private final Timeouts timeouts;

  private long now;
  private long height;
  private int round;
  private Step step;
  private Bytes32 lockedValue;
  private int lockedRound = -1;
  private B validBlock;
  private int validRound = -1;

  private final Map<Bytes32, B> validBlocks = new HashMap<>();
  private final Map<Integer, List<Proposal<B>>> proposals = new HashMap<>();
  private final Map<TallyKey, Tally<B>> tallies = new HashMap<>();
  private final Map<Integer, Set<Integer>> sendersByRound = new HashMap<>();
  private final Set<Integer> lockRuleDone = new HashSet<>();
  private long proposeDeadline = -1;
  private long prevoteDeadline = -1;
  private long precommitDeadline = -1;
  private long nextRebroadcast;
  private final List<ConsensusMessage<B>> ownMessages = new ArrayList<>();
  private final Map<Long, Decision<B>> decisions = new HashMap<>();
  private final TreeMap<Long, List<ConsensusMessage<B>>> future = new TreeMap<>();
  private List<Output<B>> out = new ArrayList<>();

  public Agreement(int self, ValidatorSet validators, Application<B> app, Timeouts timeouts,
      long firstHeight) {
    if (!validators.contains(self)) {
      throw new IllegalArgumentException("validator " + self + " is not in the set of " + validators.size());
    }
    this.self = self;
    this.validators = validators;
    this.app = app;
    this.timeouts = timeouts;
    this.height = firstHeight;
  }

  public long height() {
    return height;
  }

  public int round() {
    return round;
  }

  /** Height, round, step, lock and timers, for logs and failing simulations. */
  public String describe() {
    return "h=" + height + " r=" + round + " " + step + " locked=" + lockedRound + ":" + lockedValue
        + " valid=" + validRound + " deadlines=" + proposeDeadline + "/" + prevoteDeadline + "/"
        + precommitDeadline + " now=" + now;
  }

  public Optional<Decision<B>> decision(long decidedHeight) {
    return Optional.ofNullable(decisions.get(decidedHeight));
  }

  public List<Output<B>> start(long startTime) {
    now = startTime;
    nextRebroadcast = now + timeouts.rebroadcast();
    startRound(0);
    evaluate();
    return flush();
  }

  public List<Output<B>> onMessage(ConsensusMessage<B> message) {
    receive(message);
    evaluate();
    return flush();
  }

  public List<Output<B>> onTick(long time) {
    now = Math.max(now, time);
    if (step == Step.PROPOSE && proposeDeadline >= 0 && now >= proposeDeadline) {
      prevoteAtProposeTimeout();
    }
    if (step == Step.PREVOTE && prevoteDeadline >= 0 && now >= prevoteDeadline) {
      castVote(VoteType.PRECOMMIT, Optional.empty());
      step = Step.PRECOMMIT;
    }
    if (precommitDeadline >= 0 && now >= precommitDeadline) {
      startRound(round + 1);
    }
    if (now >= nextRebroadcast) {
      // Lost messages are sent again: everything this validator said at this height.
      for (ConsensusMessage<B> message : ownMessages) {
        out.add(new Output.Broadcast<>(message));
      }
      // And the prevotes that justify this validator's valid block (Tendermint's proof of lock):
      // byzantine validators may have shown them to it alone, and without them the others can
      // never accept a re-proposal with that valid round, nor unlock (gossip's relay property).
      Tally<B> proofOfLock = validRound < 0 ? null : tallies.get(new TallyKey(validRound, VoteType.PREVOTE));
      if (proofOfLock != null) {
        LinkedHashMap<Integer, Vote<B>> votes = proofOfLock.byValue.get(Optional.of(app.id(validBlock)));
        if (votes != null) {
          for (Vote<B> vote : votes.values()) {
            if (vote.sender() != self) {
              out.add(new Output.Broadcast<>(vote));
            }
          }
        }
      }
      nextRebroadcast = now + timeouts.rebroadcast();
    }
    evaluate();
    return flush();
  }

  // --- receiving ---

  private void receive(ConsensusMessage<B> message) {
    if (!validators.contains(message.sender()) || message.sender() == self) {
      return;
    }
    if (message instanceof Decision<B> decision) {
      receiveDecision(decision);
      return;
    }
    if (message.height() < height) {
      // The sender is behind: hand it the decision of its height (catch-up).
      Decision<B> decided = decisions.get(message.height());
      if (decided != null) {
        out.add(new Output.Send<>(message.sender(), decided));
      }
      return;
    }
    if (message.height() > height) {
      buffer(message);
      return;
    }
    switch (message) {
      case Proposal<B> proposal -> receiveProposal(proposal);
      case Vote<B> vote -> receiveVote(vote);
      case Decision<B> decision -> throw new AssertionError("handled above");
    }
  }

  private void buffer(ConsensusMessage<B> message) {
    if (message.height() <= height + FUTURE_HEIGHTS) {
      future.computeIfAbsent(message.height(), h -> new ArrayList<>()).add(message);
    }
  }

  private void receiveProposal(Proposal<B> proposal) {
    if (proposal.round() < 0 || proposal.round() > round + MAX_ROUNDS_AHEAD
        || proposal.validRound() >= proposal.round()
        || !app.id(proposal.block()).equals(proposal.blockId())) {
      return;
    }
    List<Proposal<B>> ofRound = proposals.computeIfAbsent(proposal.round(), r -> new ArrayList<>());
    int fromSender = 0;
    for (Proposal<B> known : ofRound) {
      if (known.sender() == proposal.sender()) {
        if (known.blockId().equals(proposal.blockId()) || ++fromSender >= MAX_PROPOSALS_PER_SENDER) {
          return;
        }
      }
    }
    ofRound.add(proposal);
    sendersByRound.computeIfAbsent(proposal.round(), r -> new HashSet<>()).add(proposal.sender());
    if (!validBlocks.containsKey(proposal.blockId()) && app.isValid(proposal.block(), height)) {
      validBlocks.put(proposal.blockId(), proposal.block());
    }
  }

  private void receiveVote(Vote<B> vote) {
    if (vote.round() < 0 || vote.round() > round + MAX_ROUNDS_AHEAD) {
      return;
    }
    tally(vote.round(), vote.type()).add(vote);
    sendersByRound.computeIfAbsent(vote.round(), r -> new HashSet<>()).add(vote.sender());
  }

  private void receiveDecision(Decision<B> decision) {
    if (decision.height() > height) {
      buffer(decision);
    } else if (decision.height() == height && isCertificate(decision)) {
      decide(decision.block(), decision.blockId(), decision.certificate());
    }
  }

  /** A quorum of distinct validators' precommits of one round for the block's id. */
  private boolean isCertificate(Decision<B> decision) {
    List<Vote<B>> votes = decision.certificate();
    if (votes.isEmpty() || !app.id(decision.block()).equals(decision.blockId())
        || !app.isValid(decision.block(), height)) {
      return false;
    }
    int certificateRound = votes.get(0).round();
    Set<Integer> voters = new HashSet<>();
    for (Vote<B> vote : votes) {
      if (vote.type() != VoteType.PRECOMMIT || vote.height() != decision.height()
          || vote.round() != certificateRound || !validators.contains(vote.sender())
          || !vote.value().equals(Optional.of(decision.blockId()))) {
        return false;
      }
      voters.add(vote.sender());
    }
    return validators.isQuorum(validators.weightOf(voters));
  }

  // --- the rules, re-evaluated until none applies ---

  private void evaluate() {
    boolean changed = true;
    while (changed) {
      changed = skipToLaterRound() || decideIfCommitted() || lockOnPrevoteQuorum()
          || adoptLaterValidBlock() || precommitNilOnNilQuorum() || scheduleTimeouts();
    }
  }

  /** Tendermint line 55: more than 1/3 of the weight is in a later round: join it. */
  private boolean skipToLaterRound() {
    int target = -1;
    for (Map.Entry<Integer, Set<Integer>> entry : sendersByRound.entrySet()) {
      if (entry.getKey() > round && entry.getKey() > target
          && validators.exceedsOneThird(validators.weightOf(entry.getValue()))) {
        target = entry.getKey();
      }
    }
    if (target < 0) {
      return false;
    }
    startRound(target);
    return true;
  }

  /** Tendermint line 49: a quorum of precommits for a known valid block, in any round. */
  private boolean decideIfCommitted() {
    for (Map.Entry<TallyKey, Tally<B>> entry : tallies.entrySet()) {
      if (entry.getKey().type() != VoteType.PRECOMMIT) {
        continue;
      }
      for (Map.Entry<Optional<Bytes32>, LinkedHashMap<Integer, Vote<B>>> value :
          entry.getValue().byValue.entrySet()) {
        if (value.getKey().isEmpty()) {
          continue;
        }
        Bytes32 id = value.getKey().get();
        B block = validBlocks.get(id);
        if (block != null && validators.isQuorum(validators.weightOf(value.getValue().keySet()))) {
          decide(block, id, List.copyOf(value.getValue().values()));
          return true;
        }
      }
    }
    return false;
  }

  /** Tendermint line 36: a quorum of prevotes for a known valid block in this round. */
  private boolean lockOnPrevoteQuorum() {
    if (step == Step.PROPOSE || lockRuleDone.contains(round)) {
      return false;
    }
    Tally<B> prevotes = tallies.get(new TallyKey(round, VoteType.PREVOTE));
    if (prevotes == null) {
      return false;
    }
    for (Map.Entry<Optional<Bytes32>, LinkedHashMap<Integer, Vote<B>>> value : prevotes.byValue.entrySet()) {
      if (value.getKey().isEmpty()
          || !validators.isQuorum(validators.weightOf(value.getValue().keySet()))) {
        continue;
      }
      B block = validBlocks.get(value.getKey().get());
      if (block == null) {
        continue;
      }
      lockRuleDone.add(round);
      if (step == Step.PREVOTE) {
        lockedValue = value.getKey().get();
        lockedRound = round;
        castVote(VoteType.PRECOMMIT, value.getKey());
        step = Step.PRECOMMIT;
      }
      validBlock = block;
      validRound = round;
      return true;
    }
    return false;
  }

  /**
   * A prevote quorum for a known valid block in a round after validRound, past or current, makes
   * it the block this validator re-proposes. Tendermint updates validValue only in the current
   * round and relies on every correct validator proposing in turn; with sortition, a validator
   * that locked on a block may rarely have the best priority, so the others must be able to
   * re-propose its block (with the relayed proof of lock) or the locked weight can stall the
   * height. Safe: what a validator proposes never matters to safety, only what others accept.
   */
  private boolean adoptLaterValidBlock() {
    for (Map.Entry<TallyKey, Tally<B>> entry : tallies.entrySet()) {
      TallyKey key = entry.getKey();
      if (key.type() != VoteType.PREVOTE || key.round() <= validRound || key.round() > round) {
        continue;
      }
      for (Map.Entry<Optional<Bytes32>, LinkedHashMap<Integer, Vote<B>>> value :
          entry.getValue().byValue.entrySet()) {
        B block = value.getKey().map(validBlocks::get).orElse(null);
        if (block != null && validators.isQuorum(validators.weightOf(value.getValue().keySet()))) {
          validBlock = block;
          validRound = key.round();
          return true;
        }
      }
    }
    return false;
  }

  /** Tendermint line 44: a quorum of nil prevotes. */
  private boolean precommitNilOnNilQuorum() {
    if (step != Step.PREVOTE) {
      return false;
    }
    Tally<B> prevotes = tallies.get(new TallyKey(round, VoteType.PREVOTE));
    if (prevotes == null || !validators.isQuorum(prevotes.weightFor(Optional.empty(), validators))) {
      return false;
    }
    castVote(VoteType.PRECOMMIT, Optional.empty());
    step = Step.PRECOMMIT;
    return true;
  }

  /** Tendermint lines 34 and 47: a quorum of any prevotes / precommits starts their timeouts. */
  private boolean scheduleTimeouts() {
    boolean changed = false;
    if (step == Step.PREVOTE && prevoteDeadline < 0 && anyQuorum(VoteType.PREVOTE)) {
      prevoteDeadline = now + timeouts.prevote(round);
      changed = true;
    }
    if (precommitDeadline < 0 && anyQuorum(VoteType.PRECOMMIT)) {
      precommitDeadline = now + timeouts.precommit(round);
      changed = true;
    }
    return changed;
  }

  private boolean anyQuorum(VoteType type) {
    Tally<B> tally = tallies.get(new TallyKey(round, type));
    return tally != null && validators.isQuorum(validators.weightOf(tally.voters));
  }

  // --- actions ---

  private void startRound(int newRound) {
    round = newRound;
    step = Step.PROPOSE;
    proposeDeadline = now + timeouts.propose(newRound);
    prevoteDeadline = -1;
    precommitDeadline = -1;
    // Everyone knows the empty block: a quorum for it needs no proposal to be acted on.
    B empty = app.emptyBlock(height);
    validBlocks.putIfAbsent(app.id(empty), empty);
    Optional<Bytes32> priority = app.proposerPriority(height, newRound);
    if (priority.isPresent()) {
      B block = validBlock != null ? validBlock : app.buildBlock(height, newRound);
      Proposal<B> proposal = new Proposal<>(height, newRound, block, app.id(block),
          validBlock != null ? validRound : -1, priority.get(), self);
      ownMessages.add(proposal);
      out.add(new Output.Broadcast<>(proposal));
      proposals.computeIfAbsent(newRound, r -> new ArrayList<>()).add(proposal);
      if (app.isValid(block, height)) {
        validBlocks.put(proposal.blockId(), block);
      }
    }
  }

  /**
   * Stage 1 at the propose timeout: the highest-priority valid proposal of the round (or the
   * empty block when there is none), prevoted if the lock allows it (Tendermint lines 22, 28).
   */
  private void prevoteAtProposeTimeout() {
    Proposal<B> best = proposals.getOrDefault(round, List.of()).stream()
        .filter(p -> validBlocks.containsKey(p.blockId()))
        .min(Comparator.comparing((Proposal<B> p) -> p.priority().bytes(), Arrays::compareUnsigned)
            .thenComparing(p -> p.blockId().bytes(), Arrays::compareUnsigned))
        .orElse(null);
    Bytes32 value;
    int proposedValidRound;
    if (best == null) {
      value = app.id(app.emptyBlock(height));
      proposedValidRound = -1;
    } else {
      value = best.blockId();
      proposedValidRound = best.validRound();
    }
    boolean acceptable;
    if (proposedValidRound < 0) {
      acceptable = lockedRound < 0 || value.equals(lockedValue);
    } else {
      Tally<B> earlier = tallies.get(new TallyKey(proposedValidRound, VoteType.PREVOTE));
      boolean quorumThen = earlier != null
          && validators.isQuorum(earlier.weightFor(Optional.of(value), validators));
      acceptable = quorumThen && (lockedRound <= proposedValidRound || value.equals(lockedValue));
    }
    castVote(VoteType.PREVOTE, acceptable ? Optional.of(value) : Optional.empty());
    step = Step.PREVOTE;
  }

  private void castVote(VoteType type, Optional<Bytes32> value) {
    Vote<B> vote = new Vote<>(type, height, round, value, self);
    ownMessages.add(vote);
    out.add(new Output.Broadcast<>(vote));
    tally(round, type).add(vote);
  }

  private void decide(B block, Bytes32 id, List<Vote<B>> certificate) {
    Decision<B> decision = new Decision<>(height, block, id, certificate, self);
    decisions.put(height, decision);
    out.add(new Output.Commit<>(height, block, id, certificate));
    height++;
    lockedValue = null;
    lockedRound = -1;
    validBlock = null;
    validRound = -1;
    validBlocks.clear();
    proposals.clear();
    tallies.clear();
    sendersByRound.clear();
    lockRuleDone.clear();
    ownMessages.clear();
    // Peers still at the decided height learn it from this validator without asking.
    out.add(new Output.Broadcast<>(decision));
    startRound(0);
    future.headMap(height).clear();
    List<ConsensusMessage<B>> buffered = future.remove(height);
    if (buffered != null) {
      for (ConsensusMessage<B> message : buffered) {
        receive(message);
      }
    }
  }

  private Tally<B> tally(int voteRound, VoteType type) {
    return tallies.computeIfAbsent(new TallyKey(voteRound, type), k -> new Tally<>());
  }

  private List<Output<B>> flush() {
    List<Output<B>> result = out;
    out = new ArrayList<>();
    return result;
  }

  private record TallyKey(int round, VoteType type) {}

  /** Votes of one (round, type): each validator counted once per value it voted for. */
  private static final class Tally<B> {
    final Map<Optional<Bytes32>, LinkedHashMap<Integer, Vote<B>>> byValue = new HashMap<>();
    final Set<Integer> voters = new HashSet<>();

    void add(Vote<B> vote) {
      byValue.computeIfAbsent(vote.value(), v -> new LinkedHashMap<>()).putIfAbsent(vote.sender(), vote);
      voters.add(vote.sender());
    }

    long weightFor(Optional<Bytes32> value, ValidatorSet validators) {
      LinkedHashMap<Integer, Vote<B>> votes = byValue.get(value);
      return votes == null ? 0 : validators.weightOf(votes.keySet());
    }
  }
}
