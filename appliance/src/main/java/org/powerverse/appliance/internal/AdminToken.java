package org.powerverse.appliance.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.powerverse.appliance.internal.api.TokenStore;
import org.powerverse.appliance.internal.identity.IdentityException;
import org.powerverse.appliance.internal.identity.SecretFiles;

/**
 * The bootstrap admin token: the config's {@code api.adminToken} if set, else DATA/admin.token,
 * generated (0600) at first start and read ever after.
 */
final class AdminToken {

  static final String FILE = "admin.token";

  private AdminToken() {}

  static String loadOrCreate(Path dataDir, String configured, SecureRandom random) throws IdentityException {
    if (configured != null) {
      return configured;
    }
    Path file = dataDir.resolve(FILE);
    try {
      if (!Files.exists(file)) {
        SecretFiles.create(file, (TokenStore.newSecret(random) + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      SecretFiles.ensureOwnerOnly(file);
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (token.length() < 32 || !token.chars().allMatch(c -> c > 32 && c < 127)) {
        throw new IdentityException(file + " does not hold a token (at least 32 printable characters); it is left"
            + " untouched: delete it to have a new one generated, or set api.adminToken", null);
      }
      return token;
    } catch (IOException e) {
      throw new IdentityException("cannot read or create " + file + ": " + e.getMessage(), e);
    }
  }
}
