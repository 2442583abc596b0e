package org.powerverse.chain;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/** Seeded random transactions covering both types, contract creation, data and access lists. */
public final class RandomTransactions {

  private RandomTransactions() {}

  public static byte[] privateKey(SplittableRandom random) {
    byte[] key = new byte[32];
    do {
      random.nextBytes(key);
    } while (new BigInteger(1, key).signum() == 0
        || new BigInteger(1, key).compareTo(TransactionSignature.CURVE_ORDER) >= 0);
    return key;
  }

  public static Transaction transaction(SplittableRandom random) {
    long chainId = random.nextBoolean() ? 1 + random.nextInt(100_000) : 1 + random.nextLong(1L << 40);
    long nonce = random.nextInt(4) == 0 ? 0 : random.nextLong(1L << (1 + random.nextInt(62)));
    long gasLimit = random.nextBoolean() ? 21_000 : random.nextLong(30_000_000);
    Optional<Address> to = random.nextInt(8) == 0 ? Optional.empty() : Optional.of(address(random));
    BigInteger value = wei(random);
    byte[] data = new byte[random.nextInt(4) == 0 ? random.nextInt(300) : 0];
    random.nextBytes(data);
    if (random.nextBoolean()) {
      return new LegacyTransaction(chainId, nonce, fee(random), gasLimit, to, value, data);
    }
    BigInteger maxFee = fee(random);
    BigInteger tip = maxFee.signum() == 0 ? BigInteger.ZERO
        : new BigInteger(maxFee.bitLength(), new java.util.Random(random.nextLong())).mod(maxFee.add(BigInteger.ONE));
    List<AccessListEntry> accessList = new ArrayList<>();
    int entries = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
    for (int i = 0; i < entries; i++) {
      List<Bytes32> keys = new ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        keys.add(new Bytes32(key));
      }
      accessList.add(new AccessListEntry(address(random), keys));
    }
    return new DynamicFeeTransaction(chainId, nonce, tip, maxFee, gasLimit, to, value, data, accessList);
  }

  static Address address(SplittableRandom random) {
    byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return new Address(bytes);
  }

  /** A price per gas: like {@link #wei}, but below 2^200 so that gasLimit × price fits 256 bits. */
  static BigInteger fee(SplittableRandom random) {
    BigInteger fee = wei(random);
    return fee.bitLength() > 200 ? fee.shiftRight(56) : fee;
  }

  /** 0, small, gwei-sized, ether-sized, or up to 2^256 - 1. */
  static BigInteger wei(SplittableRandom random) {
    return switch (random.nextInt(5)) {
      case 0 -> BigInteger.ZERO;
      case 1 -> BigInteger.valueOf(random.nextInt(256));
      case 2 -> BigInteger.valueOf(random.nextLong(1_000_000_000_000L));
      case 3 -> BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(random.nextInt(1_000_000)));
      default -> new BigInteger(256, new java.util.Random(random.nextLong()));
    };
  }
}
