package org.powerverse.appliance.internal.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.FieldError;
import org.powerverse.platform.Lmdb;
import org.powerverse.platform.Table;

/**
 * Idempotency-Key for creates (draft-ietf-httpapi-idempotency-key-header): the first response to a
 * key is stored for a day and replayed for a retry with the same request; a different request with
 * the same key is refused (422), as is a retry while the first is still running (409). Keys are per
 * token and per operation, so clients cannot collide with each other.
 */
public final class Idempotency {

  static final String TABLE = "idempotency";
  static final Duration RETENTION = Duration.ofHours(24);

  /** A response as stored for replay. */
  public record StoredResponse(String requestDigest, int status, Map<String, String> headers, String body,
      Instant createdAt) {}

  private final Table<StoredResponse> table;
  private final Clock clock;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

  public Idempotency(Lmdb lmdb, Clock clock) {
    this.table = lmdb.table(TABLE, StoredResponse.class);
    this.clock = clock;
  }

  static void checkKey(String key) {
    if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c > 32 && c < 127)) {
      throw ApiProblem.invalid(new FieldError("Idempotency-Key", FieldError.In.header,
          "must be 1-255 printable characters without spaces"));
    }
  }

  static String slot(String tokenId, String operationId, String key) {
    return tokenId + "\n" + operationId + "\n" + key;
  }

  static String digest(String method, String path, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Claims a slot: the stored response to replay if there is one for the same request, or empty when
   * the caller should run the request (and then {@link #complete} or {@link #release} the slot).
   */
  Optional<StoredResponse> begin(String slot, String requestDigest) {
    Optional<StoredResponse> stored = table.get(slot)
        .filter(response -> response.createdAt().plus(RETENTION).isAfter(clock.instant()));
    if (stored.isPresent()) {
      if (!stored.get().requestDigest().equals(requestDigest)) {
        throw ApiProblem.unprocessable("this Idempotency-Key was used for a different request; use a new key",
            List.of(new FieldError("Idempotency-Key", FieldError.In.header, "already used for another request")));
      }
      return stored;
    }
    if (!inFlight.add(slot)) {
      throw ApiProblem.conflict("a request with this Idempotency-Key is still being processed; retry later",
          List.of(new FieldError("Idempotency-Key", FieldError.In.header, "in progress")));
    }
    return Optional.empty();
  }

  void complete(String slot, String requestDigest, int status, Map<String, String> headers, String body) {
    try {
      table.put(slot, new StoredResponse(requestDigest, status, headers, body, clock.instant()));
    } finally {
      inFlight.remove(slot);
    }
  }

  void release(String slot) {
    inFlight.remove(slot);
  }

  /**
   * Deletes stored responses older than the retention; returns how many. Keys are not time-ordered,
   * so this scans: it runs hourly over at most a day of creates.
   */
  public int prune() {
    Instant cutoff = clock.instant().minus(RETENTION);
    List<String> expired = table.entries("", Integer.MAX_VALUE).stream()
        .filter(entry -> entry.getValue().createdAt().isBefore(cutoff))
        .map(Map.Entry::getKey)
        .toList();
    for (String key : expired) {
      table.delete(key);
    }
    return expired.size();
  }
}
