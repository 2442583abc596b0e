package org.powerverse.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.powerverse.platform.Json;

/**
 * The genesis file: JSON with wei amounts as decimal strings (they exceed 2^53), e.g.
 * <pre>{"chainId":7777,"timestamp":1800000000,"listingTime":1800000000,"targetBlockTimeMillis":1000,
 *  "gasLimit":30000000,"initialBaseFee":"1000000000","unbondingBlocks":100,
 *  "minimumStake":"100000000000000000000","foundation":"0x…",
 *  "allocations":[{"name":"…","address":"0x…","amount":"…","vesting":[{"unlockTime":…,"amount":"…"}]}],
 *  "validators":[{"address":"0x…","stake":"…","vrfPublicKey":"64 hex digits"}]}</pre>
 * Every field is required but {@code validators} (none staked at genesis when absent); unknown
 * fields are refused (a typo must not silently change a chain).
 */
public final class GenesisJson {

  private static final List<String> FIELDS = List.of("chainId", "timestamp", "listingTime", "targetBlockTimeMillis",
      "gasLimit", "initialBaseFee", "unbondingBlocks", "minimumStake", "foundation", "allocations", "validators");

  private GenesisJson() {}

  public static Genesis parse(byte[] json) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("genesis: not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("genesis: expected a JSON object");
    }
    root.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("genesis: unknown field \"" + name + "\"");
      }
    });
    List<Allocation> allocations = new ArrayList<>();
    JsonNode list = required(root, "allocations", "");
    for (int i = 0; i < list.size(); i++) {
      JsonNode a = list.get(i);
      String path = "allocations[" + i + "].";
      List<VestingTranche> vesting = new ArrayList<>();
      JsonNode tranches = a.path("vesting");
      for (int j = 0; j < tranches.size(); j++) {
        JsonNode t = tranches.get(j);
        vesting.add(new VestingTranche(longField(t, "unlockTime", path + "vesting[" + j + "]."),
            wei(t, "amount", path + "vesting[" + j + "].")));
      }
      allocations.add(new Allocation(required(a, "name", path).asText(), Address.fromHex(required(a, "address", path).asText()),
          wei(a, "amount", path), vesting));
    }
    List<StakedValidator> validators = new ArrayList<>();
    JsonNode staked = root.path("validators");
    for (int i = 0; i < staked.size(); i++) {
      JsonNode v = staked.get(i);
      String path = "validators[" + i + "].";
      String key = required(v, "vrfPublicKey", path).asText();
      if (!key.matches("(0x)?[0-9a-fA-F]{64}")) {
        throw new IllegalArgumentException("genesis: " + path + "vrfPublicKey must be 64 hex digits, got " + key);
      }
      validators.add(new StakedValidator(Address.fromHex(required(v, "address", path).asText()), wei(v, "stake", path),
          new Bytes32(java.util.HexFormat.of().parseHex(key.startsWith("0x") ? key.substring(2) : key))));
    }
    return new Genesis(longField(root, "chainId", ""), longField(root, "timestamp", ""), longField(root, "listingTime", ""),
        longField(root, "targetBlockTimeMillis", ""), longField(root, "gasLimit", ""), wei(root, "initialBaseFee", ""),
        longField(root, "unbondingBlocks", ""), wei(root, "minimumStake", ""),
        Address.fromHex(required(root, "foundation", "").asText()), allocations, validators);
  }

  public static byte[] write(Genesis genesis) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("chainId", genesis.chainId()).put("timestamp", genesis.timestamp()).put("listingTime", genesis.listingTime())
        .put("targetBlockTimeMillis", genesis.targetBlockTimeMillis()).put("gasLimit", genesis.gasLimit())
        .put("initialBaseFee", genesis.initialBaseFee().toString()).put("unbondingBlocks", genesis.unbondingBlocks())
        .put("minimumStake", genesis.minimumStake().toString()).put("foundation", genesis.foundation().toString());
    ArrayNode allocations = root.putArray("allocations");
    for (Allocation a : genesis.allocations()) {
      ObjectNode node = allocations.addObject().put("name", a.name()).put("address", a.address().toString())
          .put("amount", a.amount().toString());
      ArrayNode vesting = node.putArray("vesting");
      a.vesting().forEach(t -> vesting.addObject().put("unlockTime", t.unlockTime()).put("amount", t.amount().toString()));
    }
    if (!genesis.validators().isEmpty()) {
      ArrayNode validators = root.putArray("validators");
      genesis.validators().forEach(v -> validators.addObject().put("address", v.address().toString())
          .put("stake", v.stake().toString()).put("vrfPublicKey", java.util.HexFormat.of().formatHex(v.vrfPublicKey().bytes())));
    }
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode required(JsonNode node, String field, String path) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("genesis: " + path + field + " is required");
    }
    return value;
  }

  private static long longField(JsonNode node, String field, String path) {
    JsonNode value = required(node, field, path);
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
      throw new IllegalArgumentException("genesis: " + path + field + " must be an integer, got " + value);
    }
    return value.asLong();
  }

  private static BigInteger wei(JsonNode node, String field, String path) {
    JsonNode value = required(node, field, path);
    if (!value.isTextual() || !value.asText().matches("0|[1-9][0-9]{0,77}")) {
      throw new IllegalArgumentException("genesis: " + path + field + " must be a decimal string of wei, got " + value);
    }
    return new BigInteger(value.asText());
  }
}
