package org.powerverse.appliance.internal.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.powerverse.appliance.internal.identity.SecretFiles;

/**
 * Fetches a node's config from its {@link ConfigUrl} at start-up: retries with exponential backoff
 * (1 s doubling to 60 s, ±25 % jitter so a rebooted fleet does not hammer the server in step),
 * says on the console what it is waiting for, checks the YAML before using it, and keeps the last
 * good copy (0600: it may hold tokens) so a node still boots when the config server is down.
 */
public final class ConfigFetcher {

  static final int MAX_CONFIG_BYTES = 1 << 20;
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

  /** Waits between attempts (a test records instead of sleeping). */
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Checks fetched YAML; throws with a message naming what is wrong. */
  public interface Validator {
    void check(String yaml) throws Exception;
  }

  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final PrintWriter console;
  private final int attemptsBeforeCache;

  public ConfigFetcher(Sleeper sleeper, RandomGenerator random, PrintWriter console, int attemptsBeforeCache) {
    this.sleeper = sleeper;
    this.random = random;
    this.console = console;
    this.attemptsBeforeCache = attemptsBeforeCache;
  }

  /** An HTTP client for {@code url}: with its CA fingerprint pinned when one is given, else the JDK's CAs. */
  public static HttpClient client(ConfigUrl url) throws GeneralSecurityException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NEVER);
    if (url.caFingerprint().isPresent()) {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new CaPinTrustManager(url.caFingerprint().get())}, null);
      builder.sslContext(tls);
    }
    return builder.build();
  }

  /**
   * Returns the file holding the config to use: a fresh copy of {@code url} written to
   * {@code cache}, or, after {@code attemptsBeforeCache} failed attempts, the copy a previous boot
   * fetched. Without such a copy it keeps trying: a node must not run on a config it was not given.
   */
  public Path fetch(HttpClient http, ConfigUrl url, Path cache, Validator validator) throws InterruptedException, IOException {
    if ("http".equals(url.uri().getScheme())) {
      say("config from " + url.uri() + " over plain http: anyone on this network can read or change it "
          + "(use https:// with pv.config.fingerprint)");
    }
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      String problem;
      try {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(url.uri()).timeout(Duration.ofSeconds(30))
            .header("Accept", "application/yaml, text/yaml, text/plain").GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
          if (response.statusCode() != 200) {
            problem = "the server answered HTTP " + response.statusCode();
          } else {
            byte[] bytes = body.readNBytes(MAX_CONFIG_BYTES + 1);
            if (bytes.length > MAX_CONFIG_BYTES) {
              problem = "the config is larger than " + MAX_CONFIG_BYTES + " bytes";
            } else {
              String yaml = new String(bytes, StandardCharsets.UTF_8);
              try {
                validator.check(yaml);
                SecretFiles.ensureDirectory(cache.getParent());
                SecretFiles.replaceSecret(cache, bytes);
                say("config fetched from " + url.uri() + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
                return cache;
              } catch (IOException e) {
                throw e; // our own disk: not the server's fault, not worth retrying
              } catch (Exception e) {
                problem = "the config it serves is not valid: " + e.getMessage();
              }
            }
          }
        }
      } catch (IOException e) {
        problem = "cannot reach it: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
      }
      if (attempt >= attemptsBeforeCache && Files.exists(cache)) {
        say("config server " + url.uri() + " failed " + attempt + " times (" + problem + "); using the copy fetched "
            + Files.getLastModifiedTime(cache) + " (" + cache + ")");
        return cache;
      }
      long jittered = Math.round(backoff.toMillis() * (0.75 + 0.5 * random.nextDouble()));
      say("waiting for config from " + url.uri() + ": " + problem + "; next try in "
          + String.format("%.1f", jittered / 1000.0) + " s (attempt " + attempt + ")");
      sleeper.sleep(Duration.ofMillis(jittered));
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  private void say(String line) {
    console.println("powerverse: " + line);
    console.flush();
  }
}
