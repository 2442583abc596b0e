package org.powerverse.chain.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.powerverse.chain.Address;
import org.powerverse.chain.Allocation;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.Economics;
import org.powerverse.chain.Genesis;
import org.powerverse.chain.GenesisJson;
import org.powerverse.chain.StakedValidator;
import org.powerverse.chain.Transactions;
import org.powerverse.chain.internal.p2p.ValidatorKey;
import org.powerverse.platform.Json;

/**
 * A local network of validators on loopback (docs/chain.md, "Devnet"): a fresh genesis with N
 * validators staked and prefunded accounts, per validator its Ed25519 key, its config and its data
 * directory, and {@code devnet.json} for tools. Validator i listens for peers on basePort + 2i and
 * for JSON-RPC on basePort + 2i + 1.
 */
public final class Devnet {

  public static final BigInteger VALIDATOR_STAKE = Economics.coins(1_000);
  public static final BigInteger ACCOUNT_FUNDS = Economics.coins(1_000_000);
  public static final long DEFAULT_CHAIN_ID = 7_777;

  /** What was written. */
  public record Layout(Path dir, long chainId, List<Path> configs, List<Path> dataDirs, List<String> rpcUrls) {}

  private Devnet() {}

  public static int p2pPort(int basePort, int validator) {
    return basePort + 2 * validator;
  }

  public static int rpcPort(int basePort, int validator) {
    return basePort + 2 * validator + 1;
  }

  /**
   * Writes the devnet into {@code dir} (created; must be empty).
   *
   * @param random where keys come from (a SecureRandom outside tests)
   * @param now genesis time, Unix seconds
   */
  public static Layout write(Path dir, int validators, int accounts, int basePort, long chainId, long blockTimeMillis,
      long now, Random random) throws IOException {
    if (validators < 1 || validators > 100 || accounts < 0 || accounts > 1_000) {
      throw new IllegalArgumentException("validators must be in [1, 100] and accounts in [0, 1000], got "
          + validators + " and " + accounts);
    }
    if (basePort < 1 || rpcPort(basePort, validators - 1) > 65_535) {
      throw new IllegalArgumentException("base port " + basePort + " leaves no room for " + validators + " validators");
    }
    Files.createDirectories(dir);
    try (var entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new IllegalArgumentException("devnet directory " + dir + " is not empty");
      }
    }
    Path root = dir.toAbsolutePath().normalize();
    List<ValidatorKey> keys = new ArrayList<>();
    List<byte[]> stakerKeys = new ArrayList<>();
    List<StakedValidator> staked = new ArrayList<>();
    for (int i = 0; i < validators; i++) {
      ValidatorKey key = ValidatorKey.fromSeed(randomBytes(random, 32));
      byte[] stakerKey = secp256k1Key(random);
      keys.add(key);
      stakerKeys.add(stakerKey);
      staked.add(new StakedValidator(Transactions.address(stakerKey), VALIDATOR_STAKE, new Bytes32(key.publicKey())));
    }
    List<Allocation> allocations = new ArrayList<>();
    List<byte[]> accountKeys = new ArrayList<>();
    for (int a = 0; a < accounts; a++) {
      byte[] accountKey = secp256k1Key(random);
      accountKeys.add(accountKey);
      allocations.add(new Allocation("devnet-" + a, Transactions.address(accountKey), ACCOUNT_FUNDS, List.of()));
    }
    Address foundation = Transactions.address(secp256k1Key(random));
    Genesis genesis = new Genesis(chainId, now, now, blockTimeMillis, 30_000_000, BigInteger.TEN.pow(9), 100,
        Economics.coins(100), foundation, allocations, staked);
    Path genesisFile = root.resolve("genesis.json");
    Files.write(genesisFile, GenesisJson.write(genesis));

    List<Path> configs = new ArrayList<>();
    List<Path> dataDirs = new ArrayList<>();
    List<String> rpcUrls = new ArrayList<>();
    ObjectNode devnet = Json.MAPPER.createObjectNode().put("chainId", chainId);
    ArrayNode rpc = devnet.putArray("rpc");
    ArrayNode accountsNode = devnet.putArray("accounts");
    ArrayNode validatorsNode = devnet.putArray("validators");
    for (int i = 0; i < validators; i++) {
      Path home = root.resolve("v" + i);
      Files.createDirectories(home.resolve("data"));
      Path keyFile = home.resolve("validator.key");
      writeOwnerOnly(keyFile, (HexFormat.of().formatHex(keys.get(i).vrfSecretKey()) + "\n")
          .getBytes(StandardCharsets.US_ASCII));
      List<String> peers = new ArrayList<>();
      for (int j = 0; j < validators; j++) {
        if (j != i) {
          peers.add("127.0.0.1:" + p2pPort(basePort, j));
        }
      }
      String yaml = "# Validator " + i + " of the devnet in " + root + " (powerverse chain devnet).\n"
          + "chain:\n"
          + "  enabled: true\n"
          + "  rpcHost: 127.0.0.1\n"
          + "  rpcPort: " + rpcPort(basePort, i) + "\n"
          + "  p2pHost: 127.0.0.1\n"
          + "  p2pPort: " + p2pPort(basePort, i) + "\n"
          + "  peers: [" + String.join(", ", peers.stream().map(p -> "\"" + p + "\"").toList()) + "]\n"
          + "  genesisFile: \"" + genesisFile + "\"\n"
          + "  validatorKeyFile: \"" + keyFile + "\"\n";
      Path config = home.resolve("node.yaml");
      Files.writeString(config, yaml, StandardCharsets.UTF_8);
      configs.add(config);
      dataDirs.add(home.resolve("data"));
      String url = "http://127.0.0.1:" + rpcPort(basePort, i);
      rpcUrls.add(url);
      rpc.add(url);
      validatorsNode.addObject().put("address", staked.get(i).address().toString())
          .put("stakerPrivateKey", "0x" + HexFormat.of().formatHex(stakerKeys.get(i)))
          .put("publicKey", HexFormat.of().formatHex(keys.get(i).publicKey()))
          .put("p2p", "127.0.0.1:" + p2pPort(basePort, i)).put("rpc", url)
          .put("config", config.toString()).put("dataDir", home.resolve("data").toString());
    }
    for (int a = 0; a < accounts; a++) {
      accountsNode.addObject().put("address", Transactions.address(accountKeys.get(a)).toString())
          .put("privateKey", "0x" + HexFormat.of().formatHex(accountKeys.get(a)));
    }
    Path devnetFile = root.resolve("devnet.json");
    // It lists private keys.
    writeOwnerOnly(devnetFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(devnet));
    return new Layout(root, chainId, configs, dataDirs, rpcUrls);
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  /** A secp256k1 private key: 32 random bytes in [1, n). */
  private static byte[] secp256k1Key(Random random) {
    BigInteger n = new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    while (true) {
      byte[] key = randomBytes(random, 32);
      BigInteger k = new BigInteger(1, key);
      if (k.signum() > 0 && k.compareTo(n) < 0) {
        return key;
      }
    }
  }

  /** Writes a secret that is 0600 from its creation on (never briefly readable by others). */
  private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: there are no modes to set
    }
    Files.write(file, content);
  }
}
