package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which site a bearer token belongs to. Tokens are 256 random bits ({@code flt_site_…}); only their
 * SHA-256 is stored, so a plain (unsalted, fast) hash is enough: nobody can guess a preimage of a
 * random 256-bit value. Answers are cached for {@code cacheFor} (a reconnect storm checks each
 * token once, not once per request), so a replaced token keeps working that long at most.
 */
public final class SiteAuth {
  public static final String PREFIX = "flt_site_";
  private static final int MAX_CACHED = 200_000;

  private final SiteTokens tokens;
  private final Clock clock;
  private final Duration cacheFor;
  private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(String site, Instant until) {}

  public SiteAuth(SiteTokens tokens, Clock clock, Duration cacheFor) {
    this.tokens = tokens;
    this.clock = clock;
    this.cacheFor = cacheFor;
  }

  /** Makes a new token for {@code site}, replacing its old one; the token is returned once and never stored. */
  public static String issue(SiteTokens tokens, String site, SecureRandom random) throws StoreException {
    byte[] bits = new byte[32];
    random.nextBytes(bits);
    String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    tokens.put(site, hash(token));
    return token;
  }

  /** The site of {@code token}, if it is a known token. */
  public Optional<String> siteOf(String token) throws StoreException {
    if (token == null || !token.startsWith(PREFIX) || token.length() > 200) return Optional.empty();
    String hash = hash(token);
    Instant now = clock.instant();
    Cached hit = cache.get(hash);
    if (hit != null && now.isBefore(hit.until())) return Optional.of(hit.site());
    Optional<String> site = tokens.siteOf(hash);
    if (site.isPresent()) {
      if (cache.size() >= MAX_CACHED) cache.clear();
      cache.put(hash, new Cached(site.get(), now.plus(cacheFor)));
    } else {
      cache.remove(hash);
    }
    return site;
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
