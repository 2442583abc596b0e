package org.powerverse.chain.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.Optional;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.TransactionSignature;

/**
 * Public key recovery with bitcoin-core's libsecp256k1 (its recovery module), bound with JNA
 * direct mapping. Loaded once; the context is created once and never destroyed (it is only read
 * by recovery, which the library documents as safe from many threads).
 */
public final class LibSecp256k1 {

  /** SECP256K1_CONTEXT_VERIFY, accepted by every version (0.2 treats it as CONTEXT_NONE). */
  private static final int CONTEXT_VERIFY = (1 << 0) | (1 << 8);
  private static final int EC_UNCOMPRESSED = 1 << 1;

  /** Debian: libsecp256k1.so from -dev, .so.2 in trixie, .so.1 in bookworm, .so.0 earlier. */
  private static final String[] LIBRARY_NAMES = {
      "secp256k1", "libsecp256k1.so.2", "libsecp256k1.so.1", "libsecp256k1.so.0"};

  private static final Optional<SenderRecovery> RECOVERY = load();

  private LibSecp256k1() {}

  public static Optional<SenderRecovery> recovery() {
    return RECOVERY;
  }

  private static Optional<SenderRecovery> load() {
    for (String name : LIBRARY_NAMES) {
      try {
        NativeLibrary library = NativeLibrary.getInstance(name);
        Native.register(LibSecp256k1.class, library);
        Pointer context = secp256k1_context_create(CONTEXT_VERIFY);
        return context == null ? Optional.empty() : Optional.of(new Recovery(name, context));
      } catch (LinkageError | IllegalArgumentException absent) {
        // not under this name (or JNA cannot load at all): try the next
      }
    }
    return Optional.empty();
  }

  private record Recovery(String libraryName, Pointer context) implements SenderRecovery {
    @Override
    public Optional<Address> recover(Bytes32 signingHash, TransactionSignature signature) {
      byte[] compact = new byte[64];
      put32(signature.r().toByteArray(), compact, 0);
      put32(signature.s().toByteArray(), compact, 32);
      byte[] parsed = new byte[65]; // secp256k1_ecdsa_recoverable_signature (opaque)
      if (secp256k1_ecdsa_recoverable_signature_parse_compact(context, parsed, compact,
          signature.yParity()) != 1) {
        return Optional.empty();
      }
      byte[] publicKey = new byte[64]; // secp256k1_pubkey (opaque)
      if (secp256k1_ecdsa_recover(context, publicKey, parsed, signingHash.bytes()) != 1) {
        return Optional.empty();
      }
      byte[] serialized = new byte[65];
      long[] length = {65};
      secp256k1_ec_pubkey_serialize(context, serialized, length, publicKey, EC_UNCOMPRESSED);
      byte[] xy = new byte[64];
      System.arraycopy(serialized, 1, xy, 0, 64);
      return Optional.of(Address.ofPublicKey(xy));
    }

    @Override
    public String name() {
      return "libsecp256k1 (" + libraryName + ")";
    }
  }

  /** Right-aligns a big-endian magnitude (possibly with a sign byte) into 32 bytes. */
  private static void put32(byte[] bigEndian, byte[] out, int offset) {
    int start = bigEndian.length > 32 ? bigEndian.length - 32 : 0;
    int length = bigEndian.length - start;
    System.arraycopy(bigEndian, start, out, offset + 32 - length, length);
  }

  private static native Pointer secp256k1_context_create(int flags);

  private static native int secp256k1_ecdsa_recoverable_signature_parse_compact(Pointer context,
      byte[] signature, byte[] input64, int recoveryId);

  private static native int secp256k1_ecdsa_recover(Pointer context, byte[] publicKey,
      byte[] signature, byte[] message32);

  private static native int secp256k1_ec_pubkey_serialize(Pointer context, byte[] output,
      long[] outputLength, byte[] publicKey, int flags);
}
