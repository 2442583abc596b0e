package org.powerverse.chain.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.powerverse.chain.Block;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.internal.consensus.ConsensusMessage.Vote;
import org.powerverse.chain.internal.consensus.ConsensusMessage.VoteType;
import org.powerverse.chain.internal.ledger.ChainStore;

/**
 * The validator network's message forms (RLP) and what their signatures cover (docs/chain.md,
 * "Validator network"). Signed bytes start with a context string and the chain id, so a
 * signature serves one purpose on one chain.
 */
final class ConsensusWire {

  static final int PROPOSAL = 16;
  static final int VOTE = 17;
  static final int DECISION = 18;
  static final int TRANSACTIONS = 19;

  /** Votes a certificate or a decision may carry: far above any validator set we run (Rlp decoding bounds the rest). */
  static final int MAX_CERTIFICATE_VOTES = 10_000;
  static final int MAX_TRANSACTIONS = 10_000;

  private static final byte[] VOTE_CONTEXT = "PowerVerse vote v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PROPOSAL_CONTEXT = "PowerVerse proposal v1".getBytes(StandardCharsets.US_ASCII);

  private ConsensusWire() {}

  record SignedVote(Vote<Block> vote, byte[] signature) {}

  /** A proposal as it arrives: validRound -1 for a fresh block; vrfProof is the proposer's sortition proof. */
  record WireProposal(long height, int round, Block block, int validRound, byte[] vrfProof, int sender,
      byte[] signature) {}

  record WireDecision(long height, Block block, List<SignedVote> certificate) {}

  static byte[] voteSigningBytes(long chainId, Vote<Block> vote) {
    return Rlp.encodeList(Rlp.encodeBytes(VOTE_CONTEXT), Rlp.encodeInteger(chainId),
        Rlp.encodeInteger(vote.type().ordinal()), Rlp.encodeInteger(vote.height()), Rlp.encodeInteger(vote.round()),
        Rlp.encodeBytes(vote.value().map(Bytes32::bytes).orElse(new byte[0])));
  }

  static byte[] proposalSigningBytes(long chainId, long height, int round, Bytes32 blockHash, int validRound,
      byte[] vrfProof) {
    return Rlp.encodeList(Rlp.encodeBytes(PROPOSAL_CONTEXT), Rlp.encodeInteger(chainId), Rlp.encodeInteger(height),
        Rlp.encodeInteger(round), Rlp.encodeBytes(blockHash.bytes()), Rlp.encodeInteger(validRound + 1L),
        Rlp.encodeBytes(vrfProof));
  }

  static byte[] encodeVote(SignedVote signed) {
    Vote<Block> v = signed.vote();
    return Rlp.encodeList(Rlp.encodeInteger(v.type().ordinal()), Rlp.encodeInteger(v.height()),
        Rlp.encodeInteger(v.round()), Rlp.encodeBytes(v.value().map(Bytes32::bytes).orElse(new byte[0])),
        Rlp.encodeInteger(v.sender()), Rlp.encodeBytes(signed.signature()));
  }

  static SignedVote decodeVote(Rlp.Item item) {
    List<Rlp.Item> f = fields(item, "vote", 6);
    long type = Rlp.uint63(f.get(0), "vote type");
    if (type >= VoteType.values().length) {
      throw new Rlp.RlpException("vote type " + type + " is unknown");
    }
    byte[] value = Rlp.bytes(f.get(3), "vote value");
    if (value.length != 0 && value.length != 32) {
      throw new Rlp.RlpException("vote value has 0 or 32 bytes, got " + value.length);
    }
    Vote<Block> vote = new Vote<>(VoteType.values()[(int) type], Rlp.uint63(f.get(1), "vote height"),
        int31(f.get(2), "vote round"), value.length == 0 ? Optional.empty() : Optional.of(new Bytes32(value)),
        int31(f.get(4), "vote sender"));
    return new SignedVote(vote, Rlp.bytes(f.get(5), "vote signature"));
  }

  static SignedVote decodeVote(byte[] payload) {
    return decodeVote(Rlp.decode(payload));
  }

  static byte[] encodeCertificate(List<SignedVote> votes) {
    return Rlp.encodeList(votes.stream().map(ConsensusWire::encodeVote).toList());
  }

  static List<SignedVote> decodeCertificate(byte[] encoded) {
    List<Rlp.Item> items = Rlp.list(Rlp.decode(encoded), "certificate");
    if (items.size() > MAX_CERTIFICATE_VOTES) {
      throw new Rlp.RlpException("certificate has " + items.size() + " votes, at most " + MAX_CERTIFICATE_VOTES);
    }
    return items.stream().map(ConsensusWire::decodeVote).toList();
  }

  static byte[] encodeProposal(WireProposal p) {
    return Rlp.encodeList(Rlp.encodeInteger(p.height()), Rlp.encodeInteger(p.round()),
        Rlp.encodeBytes(ChainStore.encodeBlock(p.block())), Rlp.encodeInteger(p.validRound() + 1L),
        Rlp.encodeBytes(p.vrfProof()), Rlp.encodeInteger(p.sender()), Rlp.encodeBytes(p.signature()));
  }

  static WireProposal decodeProposal(byte[] payload) {
    List<Rlp.Item> f = fields(Rlp.decode(payload), "proposal", 7);
    return new WireProposal(Rlp.uint63(f.get(0), "proposal height"), int31(f.get(1), "proposal round"),
        ChainStore.decodeBlock(Rlp.bytes(f.get(2), "proposal block")), int31(f.get(3), "proposal validRound") - 1,
        Rlp.bytes(f.get(4), "proposal vrfProof"), int31(f.get(5), "proposal sender"),
        Rlp.bytes(f.get(6), "proposal signature"));
  }

  static byte[] encodeDecision(WireDecision d) {
    return Rlp.encodeList(Rlp.encodeInteger(d.height()), Rlp.encodeBytes(ChainStore.encodeBlock(d.block())),
        Rlp.encodeBytes(encodeCertificate(d.certificate())));
  }

  static WireDecision decodeDecision(byte[] payload) {
    List<Rlp.Item> f = fields(Rlp.decode(payload), "decision", 3);
    return new WireDecision(Rlp.uint63(f.get(0), "decision height"),
        ChainStore.decodeBlock(Rlp.bytes(f.get(1), "decision block")),
        decodeCertificate(Rlp.bytes(f.get(2), "decision certificate")));
  }

  static byte[] encodeTransactions(List<byte[]> raw) {
    return Rlp.encodeList(raw.stream().map(Rlp::encodeBytes).toList());
  }

  static List<byte[]> decodeTransactions(byte[] payload) {
    List<Rlp.Item> items = Rlp.list(Rlp.decode(payload), "transactions");
    if (items.size() > MAX_TRANSACTIONS) {
      throw new Rlp.RlpException("transactions message has " + items.size() + ", at most " + MAX_TRANSACTIONS);
    }
    return items.stream().map(i -> Rlp.bytes(i, "transaction")).toList();
  }

  private static List<Rlp.Item> fields(Rlp.Item item, String name, int count) {
    List<Rlp.Item> f = Rlp.list(item, name);
    if (f.size() != count) {
      throw new Rlp.RlpException(name + ": expected " + count + " fields, got " + f.size());
    }
    return f;
  }

  private static int int31(Rlp.Item item, String field) {
    long value = Rlp.uint63(item, field);
    if (value > Integer.MAX_VALUE) {
      throw new Rlp.RlpException(field + " " + value + " exceeds " + Integer.MAX_VALUE);
    }
    return (int) value;
  }
}
