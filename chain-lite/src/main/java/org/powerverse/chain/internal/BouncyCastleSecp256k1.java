package org.powerverse.chain.internal;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.InvalidTransactionException;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.TransactionSignature;

/**
 * secp256k1 with Bouncy Castle's custom curve (GLV endomorphism): RFC 6979 deterministic
 * signing normalized to low s (EIP-2), and public key recovery (SEC 1 §4.1.6).
 */
public final class BouncyCastleSecp256k1 {

  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
  private static final BigInteger N = CURVE.getN();

  public static final SenderRecovery RECOVERY = new SenderRecovery() {
    @Override
    public Optional<Address> recover(Bytes32 signingHash, TransactionSignature signature) {
      return recoverPublicKey(signingHash.bytes(), signature).map(Address::ofPublicKey);
    }

    @Override
    public String name() {
      return "bouncycastle";
    }
  };

  private BouncyCastleSecp256k1() {}

  /** The 64-byte uncompressed public key (x || y) of a 32-byte private key. */
  public static byte[] publicKey(byte[] privateKey) {
    BigInteger d = privateScalar(privateKey);
    ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize();
    return Arrays.copyOfRange(q.getEncoded(false), 1, 65);
  }

  /** RFC 6979 (HMAC-SHA256) ECDSA over a 32-byte hash, s normalized to the low half. */
  public static TransactionSignature sign(byte[] hash, byte[] privateKey) {
    BigInteger d = privateScalar(privateKey);
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
    BigInteger[] rs = signer.generateSignature(hash);
    BigInteger r = rs[0];
    BigInteger s = rs[1];
    if (s.compareTo(N.shiftRight(1)) > 0) {
      s = N.subtract(s); // EIP-2: (r, n - s) is the same signature with R negated
    }
    byte[] expected = publicKey(privateKey);
    for (int yParity = 0; yParity <= 1; yParity++) {
      TransactionSignature candidate = new TransactionSignature(yParity, r, s);
      Optional<byte[]> recovered = recoverPublicKey(hash, candidate);
      if (recovered.isPresent() && Arrays.equals(recovered.get(), expected)) {
        return candidate;
      }
    }
    // r ≥ p - n would need recovery ids 2/3, which Ethereum cannot carry: probability ~2^-127.
    throw new IllegalStateException("signature without an Ethereum recovery id (r = " + r + ")");
  }

  /** SEC 1 §4.1.6: Q = r⁻¹(s·R - e·G), with R the point of x = r and y of parity yParity. */
  public static Optional<byte[]> recoverPublicKey(byte[] hash, TransactionSignature signature) {
    BigInteger r = signature.r();
    byte[] compressed = new byte[33];
    compressed[0] = (byte) (0x02 + signature.yParity());
    byte[] rBytes = Rlp.unsignedBytes(r);
    System.arraycopy(rBytes, 0, compressed, 33 - rBytes.length, rBytes.length);
    ECPoint bigR;
    try {
      bigR = CURVE.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
    BigInteger e = new BigInteger(1, hash);
    BigInteger rInverse = r.modInverse(N);
    BigInteger u1 = e.negate().multiply(rInverse).mod(N);
    BigInteger u2 = signature.s().multiply(rInverse).mod(N);
    ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, bigR, u2).normalize();
    if (q.isInfinity()) {
      return Optional.empty();
    }
    return Optional.of(Arrays.copyOfRange(q.getEncoded(false), 1, 65));
  }

  private static BigInteger privateScalar(byte[] privateKey) {
    if (privateKey.length != 32) {
      throw new InvalidTransactionException("a secp256k1 private key has 32 bytes, got " + privateKey.length);
    }
    BigInteger d = new BigInteger(1, privateKey);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new InvalidTransactionException("a secp256k1 private key must be in [1, n)");
    }
    return d;
  }
}
