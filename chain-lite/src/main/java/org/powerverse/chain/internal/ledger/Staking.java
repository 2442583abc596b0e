package org.powerverse.chain.internal.ledger;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.StakedValidator;
import org.powerverse.chain.WorldState;
import org.powerverse.chain.internal.Keccak;

/**
 * The staking system account: calls are Solidity-ABI encoded so that ethers/web3j send them as
 * ordinary contract calls to {@link #ADDRESS}:
 * <ul>
 * <li>{@code stake(bytes32 vrfPublicKey)} with a value: adds the value to the sender's stake and
 *     (re)registers its Ed25519 VRF key;
 * <li>{@code unstake(uint256 amount)}: moves wei from the stake to unbonding, withdrawable
 *     {@code unbondingBlocks} blocks later (a new unstake restarts the delay for the whole amount);
 * <li>{@code withdraw()}: pays the unbonded amount back once the delay has passed.
 * </ul>
 * The coins sit in the system account's balance; its storage holds one slot per (field, staker)
 * with the key {@code field (1 byte) || 11 zero bytes || staker address}, so that the validator
 * set can be listed from storage without a separate index.
 */
public final class Staking {

  public static final Address ADDRESS = Address.fromHex("0x0000000000000000000000000000000000001000");
  /** Gas a staking call costs on top of its intrinsic gas (two storage writes, roughly). */
  public static final long CALL_GAS = 40_000;

  static final byte[] STAKE = selector("stake(bytes32)");
  static final byte[] UNSTAKE = selector("unstake(uint256)");
  static final byte[] WITHDRAW = selector("withdraw()");

  private static final int STAKED = 1;
  private static final int VRF_KEY = 2;
  private static final int UNBONDING = 3;
  private static final int RELEASE_HEIGHT = 4;

  private Staking() {}

  public static byte[] selector(String signature) {
    return Arrays.copyOf(Keccak.keccak256(signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), 4);
  }

  /** Why a call failed (its receipt then has status 0), or empty on success. */
  static String call(WorldState state, Address sender, BigInteger value, byte[] data, long height,
      long unbondingBlocks, BigInteger minimumStake) {
    if (data.length < 4) {
      return "staking: calldata has no 4-byte function selector";
    }
    byte[] selector = Arrays.copyOf(data, 4);
    if (Arrays.equals(selector, STAKE)) {
      if (data.length != 36) {
        return "staking: stake(bytes32) takes 36 bytes of calldata, got " + data.length;
      }
      if (value.signum() <= 0) {
        return "staking: stake needs a positive value";
      }
      BigInteger staked = uint(state, STAKED, sender).add(value);
      if (staked.compareTo(minimumStake) < 0) {
        return "staking: stake " + staked + " is below the minimum " + minimumStake;
      }
      Bytes32 vrfKey = new Bytes32(Arrays.copyOfRange(data, 4, 36));
      if (vrfKey.equals(MemoryWorldState.ZERO)) {
        return "staking: the VRF public key must not be zero";
      }
      putUint(state, STAKED, sender, staked);
      state.putStorage(ADDRESS, slot(VRF_KEY, sender), vrfKey);
      return "";
    }
    if (value.signum() != 0) {
      return "staking: only stake accepts a value";
    }
    if (Arrays.equals(selector, UNSTAKE)) {
      if (data.length != 36) {
        return "staking: unstake(uint256) takes 36 bytes of calldata, got " + data.length;
      }
      BigInteger amount = new BigInteger(1, Arrays.copyOfRange(data, 4, 36));
      BigInteger staked = uint(state, STAKED, sender);
      if (amount.signum() <= 0 || amount.compareTo(staked) > 0) {
        return "staking: unstake amount " + amount + " must be in (0, staked " + staked + "]";
      }
      BigInteger rest = staked.subtract(amount);
      if (rest.signum() > 0 && rest.compareTo(minimumStake) < 0) {
        return "staking: what stays staked (" + rest + ") would be below the minimum " + minimumStake;
      }
      putUint(state, STAKED, sender, rest);
      if (rest.signum() == 0) {
        state.putStorage(ADDRESS, slot(VRF_KEY, sender), MemoryWorldState.ZERO);
      }
      putUint(state, UNBONDING, sender, uint(state, UNBONDING, sender).add(amount));
      putUint(state, RELEASE_HEIGHT, sender, BigInteger.valueOf(Math.addExact(height, unbondingBlocks)));
      return "";
    }
    if (Arrays.equals(selector, WITHDRAW)) {
      if (data.length != 4) {
        return "staking: withdraw() takes 4 bytes of calldata, got " + data.length;
      }
      BigInteger unbonding = uint(state, UNBONDING, sender);
      long release = uint(state, RELEASE_HEIGHT, sender).longValueExact();
      if (unbonding.signum() == 0) {
        return "staking: nothing to withdraw";
      }
      if (height < release) {
        return "staking: unbonding until height " + release + ", now " + height;
      }
      putUint(state, UNBONDING, sender, BigInteger.ZERO);
      putUint(state, RELEASE_HEIGHT, sender, BigInteger.ZERO);
      state.putAccount(ADDRESS, state.account(ADDRESS).debit(unbonding));
      state.putAccount(sender, state.account(sender).credit(unbonding));
      return "";
    }
    return "staking: unknown function selector 0x" + java.util.HexFormat.of().formatHex(selector);
  }

  /** A genesis validator: its stake held by the system account, as if it had sent stake(key). */
  static void stakeAtGenesis(WorldState state, StakedValidator validator) {
    putUint(state, STAKED, validator.address(), validator.stake());
    state.putStorage(ADDRESS, slot(VRF_KEY, validator.address()), validator.vrfPublicKey());
    state.putAccount(ADDRESS, state.account(ADDRESS).credit(validator.stake()));
  }

  /** Stakers with a positive stake, in address order. */
  public static List<StakedValidator> validators(WorldState state) {
    List<StakedValidator> out = new ArrayList<>();
    for (Map.Entry<Bytes32, Bytes32> slot : state.storageOf(ADDRESS).entrySet()) {
      byte[] key = slot.getKey().bytes();
      if (key[0] == STAKED) {
        Address staker = new Address(Arrays.copyOfRange(key, 12, 32));
        out.add(new StakedValidator(staker, new BigInteger(1, slot.getValue().bytes()),
            state.storage(ADDRESS, slot(VRF_KEY, staker))));
      }
    }
    return out;
  }

  /** Wei unstaked by {@code staker} and not yet withdrawn. */
  public static BigInteger unbonding(WorldState state, Address staker) {
    return uint(state, UNBONDING, staker);
  }

  static Bytes32 slot(int field, Address staker) {
    byte[] key = new byte[32];
    key[0] = (byte) field;
    System.arraycopy(staker.bytes(), 0, key, 12, 20);
    return new Bytes32(key);
  }

  private static BigInteger uint(WorldState state, int field, Address staker) {
    return new BigInteger(1, state.storage(ADDRESS, slot(field, staker)).bytes());
  }

  private static void putUint(WorldState state, int field, Address staker, BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] word = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, word, 32 - length, length);
    state.putStorage(ADDRESS, slot(field, staker), new Bytes32(word));
  }

}
