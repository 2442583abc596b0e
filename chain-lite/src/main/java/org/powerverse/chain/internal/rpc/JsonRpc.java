package org.powerverse.chain.internal.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.Address;
import org.powerverse.chain.Block;
import org.powerverse.chain.BlockHeader;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.DynamicFeeTransaction;
import org.powerverse.chain.InvalidTransactionException;
import org.powerverse.chain.LegacyTransaction;
import org.powerverse.chain.Receipt;
import org.powerverse.chain.SignedTransaction;
import org.powerverse.chain.Transaction;
import org.powerverse.chain.internal.ledger.ChainNode;
import org.powerverse.chain.internal.ledger.TransferTransition;
import org.powerverse.platform.Json;

/**
 * Ethereum JSON-RPC 2.0 (execution-apis) over a {@link ChainNode}: request tree in, response tree
 * out, batches included. Errors use JSON-RPC's codes: -32700 parse error, -32600 invalid request,
 * -32601 method not found, -32602 invalid params, and -32000 (geth's) for a refused transaction or
 * a state that is not kept. State is kept for the head only: "latest", "pending" and the head's
 * number answer; older numbers are -32000 "historical state not available".
 */
public final class JsonRpc {

  public static final String CLIENT_VERSION = "PowerVerse/chain-lite/0.1.0";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final int MAX_BATCH = 100;
  private static final int MAX_FEE_HISTORY = 1024;

  /** An error with its JSON-RPC code. */
  public static final class RpcException extends RuntimeException {
    final int code;

    public RpcException(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  private final ChainNode node;

  public JsonRpc(ChainNode node) {
    this.node = Objects.requireNonNull(node, "node");
  }

  /** Answers a request body (one request or a batch). */
  public JsonNode handle(byte[] body) {
    JsonNode request;
    try {
      request = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      return error(NullNode.getInstance(), -32700, "parse error: " + e.getMessage());
    }
    if (request != null && request.isArray()) {
      if (request.isEmpty() || request.size() > MAX_BATCH) {
        return error(NullNode.getInstance(), -32600, "a batch holds 1 to " + MAX_BATCH + " requests, got " + request.size());
      }
      ArrayNode out = F.arrayNode();
      request.forEach(r -> out.add(single(r)));
      return out;
    }
    return single(request);
  }

  private JsonNode single(JsonNode request) {
    if (request == null || !request.isObject() || !request.path("method").isTextual()) {
      return error(NullNode.getInstance(), -32600, "invalid request: expected an object with a method");
    }
    JsonNode id = request.has("id") ? request.get("id") : NullNode.getInstance();
    JsonNode params = request.path("params");
    try {
      JsonNode result = call(request.get("method").asText(), params.isArray() ? params : F.arrayNode());
      ObjectNode response = F.objectNode().put("jsonrpc", "2.0");
      response.set("id", id);
      response.set("result", result);
      return response;
    } catch (RpcException e) {
      return error(id, e.code, e.getMessage());
    } catch (InvalidTransactionException e) {
      return error(id, -32000, e.getMessage());
    } catch (IllegalArgumentException e) {
      return error(id, -32602, "invalid params: " + e.getMessage());
    }
  }

  JsonNode call(String method, JsonNode p) {
    return switch (method) {
      case "web3_clientVersion" -> F.textNode(CLIENT_VERSION);
      case "net_version" -> F.textNode(Long.toString(node.ledger().genesis().chainId()));
      case "eth_chainId" -> quantity(node.ledger().genesis().chainId());
      case "eth_blockNumber" -> quantity(node.head().header().height());
      case "eth_gasPrice" -> quantity(node.nextBaseFee().add(ChainNode.SUGGESTED_TIP));
      case "eth_maxPriorityFeePerGas" -> quantity(ChainNode.SUGGESTED_TIP);
      case "eth_getBalance" -> {
        Address address = address(p, 0);
        latestOnly(p, 1);
        yield quantity(node.state().account(address).balance());
      }
      case "eth_getTransactionCount" -> {
        Address address = address(p, 0);
        if (p.path(1).asText("latest").equals("pending")) {
          yield quantity(node.pendingNonce(address));
        }
        latestOnly(p, 1);
        yield quantity(node.state().account(address).nonce());
      }
      case "eth_getCode" -> {
        Address address = address(p, 0);
        latestOnly(p, 1);
        yield data(node.state().code(address));
      }
      case "eth_getStorageAt" -> {
        Address address = address(p, 0);
        byte[] key = new byte[32];
        byte[] raw = unsigned(p, 1).toByteArray();
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, key, 32 - n, n);
        latestOnly(p, 2);
        yield data(node.state().storage(address, new Bytes32(key)).bytes());
      }
      case "eth_estimateGas" -> quantity(estimate(p.path(0)));
      case "eth_call" -> {
        estimate(p.path(0));
        latestOnly(p, 1);
        yield F.textNode("0x"); // accounts without code return no data
      }
      case "eth_sendRawTransaction" -> F.textNode(node.submit(bytes(p, 0)).toString());
      case "eth_getTransactionByHash" -> node.transaction(Bytes32.fromHex(text(p, 0)))
          .map(this::transactionJson).orElse(NullNode.getInstance());
      case "eth_getTransactionReceipt" -> receipt(Bytes32.fromHex(text(p, 0)));
      case "eth_getBlockByNumber" -> blockNumber(p.path(0)).flatMap(node::block)
          .map(b -> blockJson(b, p.path(1).asBoolean(false))).orElse(NullNode.getInstance());
      case "eth_getBlockByHash" -> node.block(Bytes32.fromHex(text(p, 0)))
          .map(b -> blockJson(b, p.path(1).asBoolean(false))).orElse(NullNode.getInstance());
      case "eth_feeHistory" -> feeHistory(p);
      case "eth_getLogs" -> F.arrayNode(); // transfers and staking calls emit no logs
      default -> throw new RpcException(-32601, "the method " + method + " does not exist/is not available");
    };
  }

  private long estimate(JsonNode call) {
    if (!call.isObject()) {
      throw new IllegalArgumentException("expected a call object");
    }
    if (!call.hasNonNull("to")) {
      throw new RpcException(-32000, "contract creation needs the EVM, which this chain does not run yet");
    }
    Address to = Address.fromHex(call.get("to").asText());
    if (node.state().code(to).length > 0) {
      throw new RpcException(-32000, "calls to contract " + to + " need the EVM, which this chain does not run yet");
    }
    byte[] data = call.hasNonNull("data") ? hex(call.get("data").asText())
        : call.hasNonNull("input") ? hex(call.get("input").asText()) : new byte[0];
    Transaction probe = new LegacyTransaction(node.ledger().genesis().chainId(), 0, BigInteger.ZERO, Long.MAX_VALUE / 2,
        Optional.of(to), BigInteger.ZERO, data);
    return TransferTransition.gasUsed(probe);
  }

  private JsonNode receipt(Bytes32 hash) {
    Optional<Receipt> found = node.receipt(hash);
    if (found.isEmpty()) {
      return NullNode.getInstance();
    }
    Receipt r = found.get();
    ChainNode.Found tx = node.transaction(hash).orElseThrow();
    Block block = tx.block().orElseThrow();
    ObjectNode out = F.objectNode();
    out.put("transactionHash", r.transactionHash().toString());
    out.set("transactionIndex", quantity(tx.index()));
    out.put("blockHash", block.hash().toString());
    out.set("blockNumber", quantity(block.header().height()));
    out.put("from", r.from().toString());
    out.put("to", tx.transaction().transaction().transaction().to().map(Address::toString).orElse(null));
    out.set("cumulativeGasUsed", quantity(r.cumulativeGasUsed()));
    out.set("gasUsed", quantity(r.gasUsed()));
    out.set("effectiveGasPrice", quantity(r.effectiveGasPrice()));
    out.putNull("contractAddress");
    out.set("logs", F.arrayNode());
    out.put("logsBloom", "0x" + "00".repeat(256));
    out.set("type", quantity(r.transactionType()));
    out.set("status", quantity(r.success() ? 1 : 0));
    return out;
  }

  private JsonNode transactionJson(ChainNode.Found found) {
    SignedTransaction signed = found.transaction().transaction();
    Transaction tx = signed.transaction();
    ObjectNode out = F.objectNode();
    out.put("hash", signed.hash().toString());
    out.set("type", quantity(tx.type()));
    out.set("chainId", quantity(tx.chainId()));
    out.set("nonce", quantity(tx.nonce()));
    out.put("from", found.transaction().sender().toString());
    out.put("to", tx.to().map(Address::toString).orElse(null));
    out.set("value", quantity(tx.value()));
    out.set("gas", quantity(tx.gasLimit()));
    out.put("input", "0x" + HexFormat.of().formatHex(tx.data()));
    if (tx instanceof DynamicFeeTransaction d) {
      out.set("maxFeePerGas", quantity(d.maxFeePerGas()));
      out.set("maxPriorityFeePerGas", quantity(d.maxPriorityFeePerGas()));
      out.set("accessList", F.arrayNode());
    }
    BigInteger price = found.block().map(b -> tx.effectiveGasPrice(b.header().baseFeePerGas())).orElse(tx.maxFeePerGas());
    out.set("gasPrice", quantity(price));
    var sig = signed.signature();
    out.set("r", quantity(sig.r()));
    out.set("s", quantity(sig.s()));
    out.set("v", quantity(tx instanceof LegacyTransaction ? BigInteger.valueOf(tx.chainId() * 2 + 35 + sig.yParity())
        : BigInteger.valueOf(sig.yParity())));
    if (tx instanceof DynamicFeeTransaction) {
      out.set("yParity", quantity(sig.yParity()));
    }
    if (found.block().isPresent()) {
      out.put("blockHash", found.block().get().hash().toString());
      out.set("blockNumber", quantity(found.block().get().header().height()));
      out.set("transactionIndex", quantity(found.index()));
    } else {
      out.putNull("blockHash");
      out.putNull("blockNumber");
      out.putNull("transactionIndex");
    }
    return out;
  }

  private JsonNode blockJson(Block block, boolean fullTransactions) {
    BlockHeader h = block.header();
    ObjectNode out = F.objectNode();
    out.set("number", quantity(h.height()));
    out.put("hash", block.hash().toString());
    out.put("parentHash", h.parentHash().toString());
    out.put("nonce", "0x0000000000000000");
    out.put("sha3Uncles", "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
    out.put("logsBloom", "0x" + "00".repeat(256));
    out.put("transactionsRoot", h.txRoot().toString());
    out.put("stateRoot", h.stateRoot().toString());
    out.put("receiptsRoot", h.receiptsRoot().toString());
    out.put("miner", h.proposer().toString());
    out.set("difficulty", quantity(0));
    out.set("totalDifficulty", quantity(0));
    out.put("extraData", "0x");
    out.set("size", quantity(h.encode().length + block.transactions().stream().mapToLong(t -> t.encoded().length).sum()));
    out.set("gasLimit", quantity(h.gasLimit()));
    out.set("gasUsed", quantity(h.gasUsed()));
    out.set("timestamp", quantity(h.timestamp()));
    out.set("baseFeePerGas", quantity(h.baseFeePerGas()));
    out.put("mixHash", "0x" + "00".repeat(32));
    out.set("uncles", F.arrayNode());
    ArrayNode txs = F.arrayNode();
    List<Receipt> receipts = fullTransactions ? node.receipts(h.height()) : List.of();
    for (int i = 0; i < block.transactions().size(); i++) {
      SignedTransaction tx = block.transactions().get(i);
      if (fullTransactions) {
        txs.add(transactionJson(new ChainNode.Found(
            new org.powerverse.chain.RecoveredTransaction(tx, receipts.get(i).from()), Optional.of(block), i)));
      } else {
        txs.add(tx.hash().toString());
      }
    }
    out.set("transactions", txs);
    return out;
  }

  private JsonNode feeHistory(JsonNode p) {
    long count = unsigned(p, 0).longValueExact();
    if (count < 1 || count > MAX_FEE_HISTORY) {
      throw new IllegalArgumentException("block count must be in [1, " + MAX_FEE_HISTORY + "], got " + count);
    }
    long newest = blockNumber(p.path(1)).orElseThrow(() -> new IllegalArgumentException("unknown newest block"));
    newest = Math.min(newest, node.head().header().height());
    long oldest = Math.max(0, newest - count + 1);
    List<Double> percentiles = new ArrayList<>();
    p.path(2).forEach(x -> percentiles.add(x.asDouble()));
    ArrayNode baseFees = F.arrayNode();
    ArrayNode ratios = F.arrayNode();
    ArrayNode rewards = F.arrayNode();
    for (long height = oldest; height <= newest; height++) {
      Block block = node.block(height).orElseThrow();
      BlockHeader h = block.header();
      baseFees.add(quantity(h.baseFeePerGas()));
      ratios.add((double) h.gasUsed() / h.gasLimit());
      if (!percentiles.isEmpty()) {
        // Tips sorted ascending; each percentile picks the tip at that share of the gas (geth's way).
        List<Receipt> receipts = node.receipts(height);
        List<long[]> tips = new ArrayList<>();
        List<BigInteger> tipValues = new ArrayList<>();
        for (int i = 0; i < receipts.size(); i++) {
          tipValues.add(receipts.get(i).effectiveGasPrice().subtract(h.baseFeePerGas()));
          tips.add(new long[] {i, receipts.get(i).gasUsed()});
        }
        tips.sort((a, b) -> tipValues.get((int) a[0]).compareTo(tipValues.get((int) b[0])));
        ArrayNode row = F.arrayNode();
        for (double percentile : percentiles) {
          if (tips.isEmpty()) {
            row.add(quantity(0));
            continue;
          }
          double threshold = h.gasUsed() * percentile / 100;
          long sum = 0;
          int pick = tips.size() - 1;
          for (int i = 0; i < tips.size(); i++) {
            sum += tips.get(i)[1];
            if (sum >= threshold) {
              pick = i;
              break;
            }
          }
          row.add(quantity(tipValues.get((int) tips.get(pick)[0])));
        }
        rewards.add(row);
      }
    }
    BlockHeader last = node.header(newest);
    baseFees.add(quantity(node.ledger().baseFeeAfter(last)));
    ObjectNode out = F.objectNode();
    out.set("oldestBlock", quantity(oldest));
    out.set("baseFeePerGas", baseFees);
    out.set("gasUsedRatio", ratios);
    if (!percentiles.isEmpty()) {
      out.set("reward", rewards);
    }
    return out;
  }

  private Optional<Long> blockNumber(JsonNode tag) {
    String text = tag.asText("latest");
    return switch (text) {
      case "latest", "pending", "safe", "finalized" -> Optional.of(node.head().header().height());
      case "earliest" -> Optional.of(0L);
      default -> Optional.of(parseQuantity(text).longValueExact());
    };
  }

  private void latestOnly(JsonNode p, int index) {
    if (p.size() <= index || p.get(index).isNull()) {
      return;
    }
    JsonNode tag = p.get(index);
    if (tag.isObject()) {
      throw new RpcException(-32000, "block selection by object is not supported");
    }
    long number = blockNumber(tag).orElseThrow();
    if (number != node.head().header().height()) {
      throw new RpcException(-32000, "historical state not available: this node keeps the state of block "
          + node.head().header().height() + " only");
    }
  }

  private static String text(JsonNode p, int index) {
    JsonNode value = p.path(index);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("parameter " + index + " must be a string");
    }
    return value.asText();
  }

  private static Address address(JsonNode p, int index) {
    return Address.fromHex(text(p, index));
  }

  private static byte[] bytes(JsonNode p, int index) {
    return hex(text(p, index));
  }

  private static BigInteger unsigned(JsonNode p, int index) {
    JsonNode value = p.path(index);
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue();
    }
    return parseQuantity(text(p, index));
  }

  static byte[] hex(String text) {
    if (!text.startsWith("0x")) {
      throw new IllegalArgumentException("hex data must start with 0x: " + text);
    }
    return HexFormat.of().parseHex(text.substring(2));
  }

  static BigInteger parseQuantity(String text) {
    if (!text.startsWith("0x") || text.length() < 3 || text.length() > 66) {
      throw new IllegalArgumentException("not a hex quantity: " + text);
    }
    return new BigInteger(text.substring(2), 16);
  }

  static JsonNode quantity(long value) {
    return F.textNode("0x" + Long.toHexString(value));
  }

  static JsonNode quantity(BigInteger value) {
    return F.textNode("0x" + value.toString(16));
  }

  static JsonNode data(byte[] bytes) {
    return F.textNode("0x" + HexFormat.of().formatHex(bytes));
  }

  static JsonNode error(JsonNode id, int code, String message) {
    ObjectNode out = F.objectNode().put("jsonrpc", "2.0");
    out.set("id", id);
    out.set("error", F.objectNode().put("code", code).put("message", message));
    return out;
  }
}
