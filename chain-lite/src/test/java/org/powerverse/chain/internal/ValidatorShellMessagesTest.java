package org.powerverse.chain.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Ecvrf;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.Sortition;
import org.powerverse.chain.SortitionRole;
import org.powerverse.chain.internal.ConsensusWire.SignedVote;
import org.powerverse.chain.internal.ConsensusWire.WireProposal;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Vote;
import org.powerverse.chain.internal.consensus.ConsensusMessage.VoteType;
import org.powerverse.chain.internal.consensus.Timeouts;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.Ledger;
import org.powerverse.chain.internal.ledger.TestChain;
import org.powerverse.chain.internal.p2p.ValidatorKey;

/**
 * What the shell does with messages before the core sees them: signatures and sortition proofs
 * checked, senders of bad ones banned, and no byte string whatever makes it throw.
 */
class ValidatorShellMessagesTest {

  @TempDir
  Path dir;

  private ChainNode node;
  private ValidatorShell shell;
  private ValidatorRoster roster;
  private final List<String> bans = new ArrayList<>();
  private final List<Integer> broadcastTypes = new ArrayList<>();

  @BeforeEach
  void open() {
    Ledger ledger = new Ledger(TestChain.genesisWithValidators(2, 1_000, 4));
    roster = new ValidatorRoster(ledger.genesis().validators());
    node = new ChainNode(ledger, dir, SenderRecovery.bouncyCastle(), Clock.systemUTC());
    shell = new ValidatorShell(roster, TestChain.validatorKey(0), node, new Timeouts(100, 100, 100, 50, 200),
        new ValidatorShell.Network() {
          @Override
          public void broadcast(int type, byte[] payload) {
            broadcastTypes.add(type);
          }

          @Override
          public void send(int validator, int type, byte[] payload) {}

          @Override
          public void relay(int type, byte[] payload, int except) {}

          @Override
          public void ban(int validator, String reason) {
            bans.add(validator + ": " + reason);
          }
        }, () -> 0);
    shell.start();
  }

  @AfterEach
  void close() {
    node.close();
  }

  private int index(int testValidator) {
    return roster.indexOf(TestChain.validatorKey(testValidator).publicKey());
  }

  private byte[] vote(int testValidator, ValidatorKey signer) {
    Vote<Block> vote = new Vote<>(VoteType.PREVOTE, 1, 0, Optional.of(new Bytes32(new byte[32])), index(testValidator));
    return ConsensusWire.encodeVote(new SignedVote(vote, signer.sign(ConsensusWire.voteSigningBytes(TestChain.CHAIN_ID, vote))));
  }

  @Test
  void acceptsASignedVoteAndBansTheSenderOfAForgedOne() {
    shell.receive(1, ConsensusWire.VOTE, vote(1, TestChain.validatorKey(1)));
    assertEquals(List.of(), bans);
    shell.receive(2, ConsensusWire.VOTE, vote(2, TestChain.validatorKey(3))); // signed by another validator's key
    assertEquals(1, bans.size());
    assertTrue(bans.get(0).startsWith("2: vote PREVOTE of height 1 has a bad signature"), bans.get(0));
  }

  @Test
  void refusesAProposalWhoseSortitionProofIsForAnotherRound() {
    int proposer = index(1);
    ValidatorKey key = TestChain.validatorKey(1);
    byte[] seed = Sortition.genesisSeed(node.ledger().genesisBlock().hash().bytes());
    Block block = node.buildOnHead(roster.address(proposer), 0,
        Ecvrf.prove(key.vrfSecretKey(), Sortition.alpha(seed, new SortitionRole.Seed(1))).proof()).block();
    byte[] wrongRound = Ecvrf.prove(key.vrfSecretKey(), Sortition.alpha(seed, new SortitionRole.Proposer(1, 5))).proof();
    byte[] signature = key.sign(ConsensusWire.proposalSigningBytes(TestChain.CHAIN_ID, 1, 0, block.hash(), -1, wrongRound));
    shell.receive(1, ConsensusWire.PROPOSAL,
        ConsensusWire.encodeProposal(new WireProposal(1, 0, block, -1, wrongRound, proposer, signature)));
    assertEquals(1, bans.size());
    assertTrue(bans.get(0).contains("invalid sortition proof"), bans.get(0));

    byte[] right = Ecvrf.prove(key.vrfSecretKey(), Sortition.alpha(seed, new SortitionRole.Proposer(1, 0))).proof();
    byte[] signed = key.sign(ConsensusWire.proposalSigningBytes(TestChain.CHAIN_ID, 1, 0, block.hash(), -1, right));
    shell.receive(1, ConsensusWire.PROPOSAL, ConsensusWire.encodeProposal(new WireProposal(1, 0, block, -1, right, proposer, signed)));
    assertEquals(1, bans.size(), "a proposal with its round's proof is taken: " + bans);
  }

  /** Mutations of valid messages (flips, cuts, splices): each is taken or its sender banned, never an exception. */
  @Test
  void noMutatedMessageMakesTheShellThrow() {
    int proposer = index(1);
    ValidatorKey key = TestChain.validatorKey(1);
    byte[] seed = Sortition.genesisSeed(node.ledger().genesisBlock().hash().bytes());
    Block block = node.buildOnHead(roster.address(proposer), 0,
        Ecvrf.prove(key.vrfSecretKey(), Sortition.alpha(seed, new SortitionRole.Seed(1))).proof()).block();
    byte[] proof = Ecvrf.prove(key.vrfSecretKey(), Sortition.alpha(seed, new SortitionRole.Proposer(1, 0))).proof();
    byte[] proposal = ConsensusWire.encodeProposal(new WireProposal(1, 0, block, -1, proof, proposer,
        key.sign(ConsensusWire.proposalSigningBytes(TestChain.CHAIN_ID, 1, 0, block.hash(), -1, proof))));
    byte[] decision = ConsensusWire.encodeDecision(new ConsensusWire.WireDecision(1, block,
        List.of(ConsensusWire.decodeVote(vote(1, key)), ConsensusWire.decodeVote(vote(2, TestChain.validatorKey(2))))));
    byte[][] seeds = {vote(1, key), proposal, decision};
    int[] types = {ConsensusWire.VOTE, ConsensusWire.PROPOSAL, ConsensusWire.DECISION};
    Random random = new Random(20_261_125);
    for (int i = 0; i < 3_000; i++) {
      int which = random.nextInt(3);
      byte[] mutated = mutate(seeds[which], random);
      int type = random.nextInt(20) == 0 ? random.nextInt(256) : types[which];
      shell.receive(1 + random.nextInt(3), type, mutated); // must not throw
    }
    assertTrue(bans.size() > 2_000, "most mutations are refused: " + bans.size());
  }

  private static byte[] mutate(byte[] input, Random random) {
    byte[] out = input.clone();
    switch (random.nextInt(4)) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out = java.util.Arrays.copyOf(out, random.nextInt(out.length));
      case 2 -> {
        byte[] longer = java.util.Arrays.copyOf(out, out.length + 1 + random.nextInt(8));
        random.nextBytes(longer); // junk of about the same size
        System.arraycopy(out, 0, longer, 0, Math.min(out.length, random.nextInt(out.length)));
        out = longer;
      }
      default -> {
        int at = random.nextInt(out.length);
        out[at] = (byte) random.nextInt(256);
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      }
    }
    return out;
  }
}
