package org.powerverse.chain.internal.ledger;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.powerverse.chain.Address;
import org.powerverse.chain.Bytes32;
import org.powerverse.chain.SenderRecovery;
import org.powerverse.chain.TransactionSignature;

/**
 * Remembers recovered senders (LRU, bounded), so that a transaction recovered when it entered the
 * pool is not recovered again when a proposal holding it is verified: recovery is the dominant
 * per-transaction cost (docs/benchmarks/chain.md). Keyed by signing hash and signature, which
 * determine the sender; failures are not cached.
 */
public final class CachingSenderRecovery implements SenderRecovery {

  private record Key(Bytes32 signingHash, TransactionSignature signature) {}

  private final SenderRecovery delegate;
  private final Map<Key, Address> cache;

  public CachingSenderRecovery(SenderRecovery delegate, int capacity) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Address> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public Optional<Address> recover(Bytes32 signingHash, TransactionSignature signature) {
    Key key = new Key(signingHash, signature);
    synchronized (cache) {
      Address known = cache.get(key);
      if (known != null) {
        return Optional.of(known);
      }
    }
    Optional<Address> sender = delegate.recover(signingHash, signature);
    sender.ifPresent(address -> {
      synchronized (cache) {
        cache.put(key, address);
      }
    });
    return sender;
  }

  @Override
  public String name() {
    return delegate.name() + "+cache";
  }
}
