package org.powerverse.appliance.internal.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.powerverse.platform.ApiProblem;
import org.powerverse.platform.Ids;
import org.powerverse.platform.Lmdb;
import org.powerverse.platform.Principal;
import org.powerverse.platform.Role;
import org.powerverse.platform.Table;

/**
 * API tokens: the bootstrap admin token (from DATA/admin.token or api.adminToken) and tokens issued
 * over the API, each with a role. Only SHA-256 digests are stored: a token is 256 random bits, so a
 * fast hash is as good as a slow one and lets every request be checked in a map lookup.
 */
public final class TokenStore {

  /** The id of the bootstrap admin token; it is not in LMDB and cannot be revoked over the API. */
  public static final String BOOTSTRAP_ID = "admin";
  static final String TABLE = "tokens";
  private static final String PREFIX = "pvt_";

  /** A token as stored: never its secret. */
  public record StoredToken(String id, String name, Role role, String sha256, Instant createdAt, String createdBy) {}

  /** A token as listed. */
  public record TokenView(String id, String name, Role role, Instant createdAt, String createdBy) {}

  /** A token just issued, with its secret: shown once. */
  public record IssuedToken(String id, String name, Role role, Instant createdAt, String token) {}

  private final Table<StoredToken> table;
  private final Clock clock;
  private final SecureRandom random;
  private final String bootstrapDigest;
  private final Map<String, Principal> byDigest = new ConcurrentHashMap<>();

  public TokenStore(Lmdb lmdb, String bootstrapToken, Clock clock, SecureRandom random) {
    this.table = lmdb.table(TABLE, StoredToken.class);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.bootstrapDigest = digest(Objects.requireNonNull(bootstrapToken, "bootstrapToken"));
    byDigest.put(bootstrapDigest, new Principal(BOOTSTRAP_ID, "bootstrap admin", Role.admin));
    for (StoredToken token : table.list("", false, Integer.MAX_VALUE)) {
      byDigest.put(token.sha256(), new Principal(token.id(), token.name(), token.role()));
    }
  }

  /** A new random token in the form every token has. */
  public static String newSecret(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Who holds {@code presented}, if it is a live token. */
  public Optional<Principal> authenticate(String presented) {
    return Optional.ofNullable(byDigest.get(digest(presented)));
  }

  public IssuedToken issue(String name, Role role, Principal issuer) {
    String secret = newSecret(random);
    Instant now = clock.instant();
    StoredToken stored = new StoredToken(Ids.ulid(clock, random).toLowerCase(), name, role, digest(secret), now,
        issuer.name());
    table.put(stored.id(), stored);
    byDigest.put(stored.sha256(), new Principal(stored.id(), name, role));
    return new IssuedToken(stored.id(), name, role, now, secret);
  }

  public List<TokenView> list() {
    List<TokenView> views = new ArrayList<>();
    views.add(new TokenView(BOOTSTRAP_ID, "bootstrap admin (DATA/admin.token or api.adminToken)", Role.admin, null, null));
    for (StoredToken token : table.list("", false, Integer.MAX_VALUE)) {
      views.add(new TokenView(token.id(), token.name(), token.role(), token.createdAt(), token.createdBy()));
    }
    return views;
  }

  /** Revokes a token; it stops authenticating at once. */
  public void revoke(String id) {
    if (BOOTSTRAP_ID.equals(id)) {
      throw ApiProblem.conflict("the bootstrap admin token cannot be revoked over the API: replace DATA/admin.token"
          + " (or api.adminToken) and restart the supervisor", List.of());
    }
    StoredToken token = table.get(id).orElseThrow(() -> ApiProblem.notFound("no token with id " + id));
    table.delete(id);
    byDigest.remove(token.sha256());
  }

  static String digest(String token) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
