package org.powerverse.chain.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.powerverse.chain.Block;
import org.powerverse.chain.BlockHeader;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Ecvrf;
import org.powerverse.chain.InvalidBlockException;
import org.powerverse.chain.Sortition;
import org.powerverse.chain.SortitionRole;
import org.powerverse.chain.SortitionTicket;
import org.powerverse.chain.internal.ConsensusWire.SignedVote;
import org.powerverse.chain.internal.ConsensusWire.WireDecision;
import org.powerverse.chain.internal.ConsensusWire.WireProposal;
import org.powerverse.chain.internal.consensus.Agreement;
import org.powerverse.chain.internal.consensus.Application;
import org.powerverse.chain.internal.consensus.ConsensusMessage;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Decision;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Proposal;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Vote;
import org.powerverse.chain.internal.consensus.Output;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.p2p.ValidatorKey;

/**
 * The I/O shell around the consensus core for one validator (docs/chain.md, "Validator
 * network"): real time in milliseconds as the core's ticks, ledger blocks as its values, the
 * node's store as where commits go, and a {@link Network} that carries its messages as bytes.
 * Calls are serialized by this object's lock.
 *
 * <p>What it adds to the core: every vote and proposal is signed with the validator's Ed25519 key
 * and checked before the core sees it (a peer that sends a bad one is banned); proposers are
 * elected by the whitepaper's VRF sortition ({@link Sortition}, role {@code Proposer(height,
 * round)} over the height's seed), the proof travels in the proposal and receivers run
 * VerifySort and derive the priority themselves; every block carries its proposer's seed proof
 * ({@code Seed(height)}), which gives the next height's seed; and validators that are behind are
 * answered with the stored block and certificate of their height (catch-up).
 */
public final class ValidatorShell {

  /** Expected proposers per round (Algorand's τ_proposer); capped by the total weight. */
  public static final long TAU_PROPOSER = 26;
  /** How many heights ahead a proposal is kept until its seed is known. */
  static final int FUTURE_PROPOSAL_HEIGHTS = 2;
  static final int MAX_FUTURE_PROPOSALS = 64;

  /** Where the shell's messages go: the P2P network, or an in-process stand-in in tests. */
  public interface Network {
    void broadcast(int type, byte[] payload);

    void send(int validator, int type, byte[] payload);

    void relay(int type, byte[] payload, int except);

    void ban(int validator, String reason);
  }

  /** A message that fails its checks; its sender is banned. */
  static final class InvalidMessageException extends RuntimeException {
    InvalidMessageException(String message) {
      super(message);
    }
  }

  private record PendingProposal(int from, byte[] payload, WireProposal proposal) {}

  private record TicketKey(long height, int round) {}

  private final ValidatorRoster roster;
  private final int self;
  private final ValidatorKey key;
  private final ChainNode node;
  private final long chainId;
  private final long tau;
  private final Network network;
  private final LongSupplier millis;
  private final Map<Bytes32, Ledger.Executed> executed = new HashMap<>();
  private final Map<Vote<Block>, byte[]> signatures = new HashMap<>();
  private final Map<TicketKey, byte[]> tickets = new HashMap<>();
  private final Map<Long, byte[]> seedProofs = new HashMap<>();
  private final TreeMap<Long, List<PendingProposal>> futureProposals = new TreeMap<>();
  private final Map<Integer, long[]> lastAnswer = new HashMap<>();
  private final Agreement<Block> agreement;
  private byte[] seed; // the sortition seed of height head + 1
  private long invalidReceived;

  public ValidatorShell(ValidatorRoster roster, ValidatorKey key, ChainNode node, Timeouts timeouts, Network network,
      LongSupplier millis) {
    this.roster = Objects.requireNonNull(roster, "roster");
    this.key = Objects.requireNonNull(key, "key");
    this.self = roster.indexOf(key.publicKey());
    if (self < 0) {
      throw new IllegalArgumentException("the validator key " + key + " is not one of the " + roster.size() + " validators");
    }
    this.node = Objects.requireNonNull(node, "node");
    this.chainId = node.ledger().genesis().chainId();
    this.tau = Math.min(TAU_PROPOSER, roster.totalWeight());
    this.network = Objects.requireNonNull(network, "network");
    this.millis = Objects.requireNonNull(millis, "millis");
    this.seed = Sortition.genesisSeed(node.ledger().genesisBlock().hash().bytes());
    long head = node.head().header().height();
    for (long h = 1; h <= head; h++) {
      seed = nextSeed(seed, node.block(h).orElseThrow().header()); // certified blocks: proof-to-hash without verifying
    }
    this.agreement = new Agreement<>(self, roster.weights(), new LedgerApplication(), timeouts, head + 1);
  }

  public int self() {
    return self;
  }

  public synchronized void start() {
    handle(agreement.start(millis.getAsLong()));
    drainFutureProposals();
  }

  public synchronized void tick() {
    handle(agreement.onTick(millis.getAsLong()));
    drainFutureProposals();
  }

  /** A message from validator {@code from} (already authenticated by the network). */
  public synchronized void receive(int from, int type, byte[] payload) {
    try {
      switch (type) {
        case ConsensusWire.PROPOSAL -> receiveProposal(from, payload);
        case ConsensusWire.VOTE -> receiveVote(from, payload);
        case ConsensusWire.DECISION -> receiveDecision(from, payload);
        default -> throw new InvalidMessageException("message type " + type + " is not a consensus message");
      }
    } catch (InvalidMessageException | IllegalArgumentException e) { // Rlp and record checks throw IllegalArgumentException
      invalidReceived++;
      network.ban(from, e.getMessage());
    }
    drainFutureProposals();
  }

  public synchronized long height() {
    return agreement.height();
  }

  public synchronized int round() {
    return agreement.round();
  }

  public synchronized long invalidReceived() {
    return invalidReceived;
  }

  // --- receiving ---

  private void receiveProposal(int from, byte[] payload) {
    WireProposal p = ConsensusWire.decodeProposal(payload);
    requireMember(p.sender());
    byte[] signed = ConsensusWire.proposalSigningBytes(chainId, p.height(), p.round(), p.block().hash(), p.validRound(),
        p.vrfProof());
    if (!ValidatorKey.verify(roster.publicKey(p.sender()), signed, p.signature())) {
      throw new InvalidMessageException("proposal of height " + p.height() + " has a bad signature of validator " + p.sender());
    }
    long height = agreement.height();
    if (p.height() < height) {
      answerBehind(p.sender(), p.height());
    } else if (p.height() > height) {
      if (p.height() <= height + FUTURE_PROPOSAL_HEIGHTS
          && futureProposals.values().stream().mapToInt(List::size).sum() < MAX_FUTURE_PROPOSALS) {
        futureProposals.computeIfAbsent(p.height(), h -> new ArrayList<>()).add(new PendingProposal(from, payload, p));
      }
    } else {
      deliverProposal(from, payload, p);
    }
  }

  /** VerifySort of the proposer for (height, round) on this height's seed, then to the core. */
  private void deliverProposal(int from, byte[] payload, WireProposal p) {
    byte[] alpha = Sortition.alpha(seed, new SortitionRole.Proposer(p.height(), p.round()));
    byte[] output = Ecvrf.verify(roster.publicKey(p.sender()), alpha, p.vrfProof())
        .orElseThrow(() -> new InvalidMessageException("proposal of validator " + p.sender() + " at height "
            + p.height() + " round " + p.round() + " has an invalid sortition proof"));
    long subUsers = Sortition.subUsers(output, roster.weight(p.sender()), roster.totalWeight(), tau);
    if (subUsers == 0) {
      throw new InvalidMessageException("validator " + p.sender() + " was not elected proposer at height " + p.height()
          + " round " + p.round());
    }
    if (p.validRound() < 0 && !p.block().header().proposer().equals(roster.address(p.sender()))) {
      throw new InvalidMessageException("validator " + p.sender() + " proposed a new block of another proposer "
          + p.block().header().proposer());
    }
    Bytes32 priority = new Bytes32(Sortition.priority(output, subUsers).orElseThrow());
    network.relay(ConsensusWire.PROPOSAL, payload, from);
    handle(agreement.onMessage(new Proposal<>(p.height(), p.round(), p.block(), p.block().hash(), p.validRound(),
        priority, p.sender())));
  }

  private void receiveVote(int from, byte[] payload) {
    SignedVote signed = ConsensusWire.decodeVote(payload);
    Vote<Block> vote = signed.vote();
    checkVote(signed);
    if (vote.height() < agreement.height()) {
      answerBehind(vote.sender(), vote.height());
      return;
    }
    signatures.putIfAbsent(vote, signed.signature());
    network.relay(ConsensusWire.VOTE, payload, from);
    handle(agreement.onMessage(vote));
  }

  private void receiveDecision(int from, byte[] payload) {
    WireDecision d = ConsensusWire.decodeDecision(payload);
    if (d.height() < agreement.height()) {
      return; // known already
    }
    List<Vote<Block>> votes = new ArrayList<>();
    for (SignedVote signed : d.certificate()) {
      checkVote(signed);
      signatures.putIfAbsent(signed.vote(), signed.signature());
      votes.add(signed.vote());
    }
    handle(agreement.onMessage(new Decision<>(d.height(), d.block(), d.block().hash(), votes, from)));
  }

  private void checkVote(SignedVote signed) {
    Vote<Block> vote = signed.vote();
    requireMember(vote.sender());
    if (!ValidatorKey.verify(roster.publicKey(vote.sender()), ConsensusWire.voteSigningBytes(chainId, vote),
        signed.signature())) {
      throw new InvalidMessageException("vote " + vote.type() + " of height " + vote.height() + " has a bad signature of validator "
          + vote.sender());
    }
  }

  private void requireMember(int validator) {
    if (!roster.contains(validator)) {
      throw new InvalidMessageException("validator index " + validator + " is not in the set of " + roster.size());
    }
  }

  /** A validator is at a height this one has finished: hand it the stored block and certificate. */
  private void answerBehind(int validator, long height) {
    if (validator == self || height < 1) {
      return;
    }
    long now = millis.getAsLong();
    long[] last = lastAnswer.get(validator);
    if (last != null && last[0] == height && now - last[1] < 100) {
      return; // its other messages of that height are on their way: one answer is enough
    }
    Optional<Block> stored = node.block(height);
    if (stored.isEmpty() || stored.get().header().certificate().length == 0) {
      return;
    }
    lastAnswer.put(validator, new long[] {height, now});
    Block block = stored.get();
    List<SignedVote> certificate = ConsensusWire.decodeCertificate(block.header().certificate());
    Block bare = new Block(block.header().withCertificate(new byte[0]), block.transactions());
    network.send(validator, ConsensusWire.DECISION, ConsensusWire.encodeDecision(new WireDecision(height, bare, certificate)));
  }

  private void drainFutureProposals() {
    futureProposals.headMap(agreement.height()).clear();
    while (!futureProposals.isEmpty() && futureProposals.firstKey() == agreement.height()) {
      List<PendingProposal> pending = futureProposals.pollFirstEntry().getValue();
      for (PendingProposal p : pending) {
        try {
          if (p.proposal().height() == agreement.height()) {
            deliverProposal(p.from(), p.payload(), p.proposal());
          }
        } catch (InvalidMessageException | IllegalArgumentException e) {
          invalidReceived++;
          network.ban(p.from(), e.getMessage());
        }
      }
      futureProposals.headMap(agreement.height()).clear();
    }
  }

  // --- sending ---

  private void handle(List<Output<Block>> outputs) {
    for (Output<Block> output : outputs) {
      switch (output) {
        case Output.Broadcast<Block> b -> broadcast(b.message());
        case Output.Send<Block> s -> {
          if (s.message() instanceof Decision<Block> d) {
            network.send(s.to(), ConsensusWire.DECISION, encodeDecision(d));
          }
        }
        case Output.Commit<Block> c -> commit(c.block(), c.certificate());
      }
    }
  }

  private void broadcast(ConsensusMessage<Block> message) {
    switch (message) {
      case Proposal<Block> p -> {
        byte[] proof = tickets.get(new TicketKey(p.height(), p.round()));
        if (proof == null) {
          return; // not elected: the core only proposes when proposerPriority said so
        }
        byte[] signature = key.sign(ConsensusWire.proposalSigningBytes(chainId, p.height(), p.round(), p.blockId(),
            p.validRound(), proof));
        network.broadcast(ConsensusWire.PROPOSAL, ConsensusWire.encodeProposal(
            new WireProposal(p.height(), p.round(), p.block(), p.validRound(), proof, self, signature)));
      }
      case Vote<Block> v -> {
        byte[] signature = signatureOf(v);
        if (signature != null) {
          network.broadcast(ConsensusWire.VOTE, ConsensusWire.encodeVote(new SignedVote(v, signature)));
        }
      }
      case Decision<Block> d -> network.broadcast(ConsensusWire.DECISION, encodeDecision(d));
    }
  }

  /** Own votes are signed on first use; others' only relayed with the signature they came with. */
  private byte[] signatureOf(Vote<Block> vote) {
    byte[] signature = signatures.get(vote);
    if (signature == null && vote.sender() == self) {
      signature = key.sign(ConsensusWire.voteSigningBytes(chainId, vote));
      signatures.put(vote, signature);
    }
    return signature;
  }

  private List<SignedVote> signed(List<Vote<Block>> votes) {
    List<SignedVote> out = new ArrayList<>();
    for (Vote<Block> vote : votes) {
      byte[] signature = signatureOf(vote);
      if (signature != null) {
        out.add(new SignedVote(vote, signature));
      }
    }
    return out;
  }

  private byte[] encodeDecision(Decision<Block> d) {
    Block bare = new Block(d.block().header().withCertificate(new byte[0]), d.block().transactions());
    return ConsensusWire.encodeDecision(new WireDecision(d.height(), bare, signed(d.certificate())));
  }

  // --- committing ---

  /** The core may start the next height before its Commit output is handled: catch up first. */
  private void catchUp(long height) {
    while (node.head().header().height() < height - 1) {
      long next = node.head().header().height() + 1;
      Decision<Block> decision = agreement.decision(next)
          .orElseThrow(() -> new IllegalStateException("no decision for height " + next));
      commit(decision.block(), decision.certificate());
    }
  }

  private void commit(Block block, List<Vote<Block>> certificate) {
    if (block.header().height() <= node.head().header().height()) {
      return; // already appended by catchUp
    }
    Ledger.Executed result = executed.get(block.hash());
    if (result == null) {
      result = node.verifyOnHead(block);
    }
    Block certified = new Block(block.header().withCertificate(ConsensusWire.encodeCertificate(signed(certificate))),
        block.transactions());
    node.append(new Ledger.Executed(certified, result.receipts(), result.state(), List.of()));
    long height = block.header().height();
    seed = nextSeed(seed, block.header());
    executed.clear();
    tickets.keySet().removeIf(k -> k.height() <= height);
    seedProofs.keySet().removeIf(h -> h <= height);
    // Keep the last height's signatures: certificates of decisions still being sent.
    for (Iterator<Vote<Block>> it = signatures.keySet().iterator(); it.hasNext(); ) {
      if (it.next().height() < height) {
        it.remove();
      }
    }
  }

  /** seed_{h+1} from block h: its proposer's seed VRF output, or SHA-256(seed_h || h) after an empty block. */
  static byte[] nextSeed(byte[] seed, BlockHeader header) {
    byte[] proof = header.vrfProof();
    return proof.length == 0
        ? Sortition.emptyBlockSeed(seed, header.height())
        : Arrays.copyOf(Ecvrf.proofToHash(proof), Sortition.SEED_BYTES);
  }

  private final class LedgerApplication implements Application<Block> {

    @Override
    public Bytes32 id(Block block) {
      return block.hash();
    }

    @Override
    public boolean isValid(Block block, long height) {
      catchUp(height);
      if (height != node.head().header().height() + 1 || block.header().height() != height) {
        return false;
      }
      if (executed.containsKey(block.hash())) {
        return true;
      }
      if (!hasValidSeedProof(block.header())) {
        return false;
      }
      try {
        executed.put(block.hash(), node.verifyOnHead(block));
        return true;
      } catch (InvalidBlockException | IllegalArgumentException e) {
        return false;
      }
    }

    /** The empty block has none; any other carries its proposer's VRF proof of seed || Seed(height). */
    private boolean hasValidSeedProof(BlockHeader header) {
      if (header.proposer().equals(Ledger.NO_PROPOSER)) {
        return header.vrfProof().length == 0;
      }
      int proposer = roster.indexOf(header.proposer());
      return proposer >= 0 && Ecvrf.verify(roster.publicKey(proposer),
          Sortition.alpha(seed, new SortitionRole.Seed(header.height())), header.vrfProof()).isPresent();
    }

    @Override
    public Block emptyBlock(long height) {
      catchUp(height);
      Ledger.Executed empty = node.emptyOnHead();
      executed.put(empty.block().hash(), empty);
      return empty.block();
    }

    @Override
    public Optional<Bytes32> proposerPriority(long height, int round) {
      catchUp(height);
      SortitionTicket ticket = Sortition.select(key.vrfSecretKey(), seed, tau, new SortitionRole.Proposer(height, round),
          roster.weight(self), roster.totalWeight());
      if (!ticket.selected()) {
        return Optional.empty();
      }
      tickets.put(new TicketKey(height, round), ticket.proof());
      return Sortition.priority(ticket.hash(), ticket.subUsers()).map(Bytes32::new);
    }

    @Override
    public Block buildBlock(long height, int round) {
      catchUp(height);
      byte[] seedProof = seedProofs.computeIfAbsent(height,
          h -> Ecvrf.prove(key.vrfSecretKey(), Sortition.alpha(seed, new SortitionRole.Seed(h))).proof());
      Ledger.Executed built = node.buildOnHead(roster.address(self), round, seedProof);
      executed.put(built.block().hash(), built);
      return built.block();
    }
  }
}
