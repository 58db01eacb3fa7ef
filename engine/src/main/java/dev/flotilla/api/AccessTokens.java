package dev.flotilla.api;

import dev.flotilla.engine.BadRequestException;
import dev.flotilla.engine.ConflictException;
import dev.flotilla.engine.NotFoundException;
import dev.flotilla.engine.port.AccessToken;
import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.TokenStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's bearer tokens: made from 32 random bytes, handed out once, kept only as their SHA-256.
 * Creating and revoking one is audited under the name of whoever did it; the secret is never
 * logged, audited or stored.
 */
public final class AccessTokens {
  /** A token's name is the actor recorded for what its holder does: short, printable, no spaces. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,199}");
  private static final String PREFIX = "flt_";

  private final TokenStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public AccessTokens(TokenStore store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** A new token and its secret, which exists nowhere else once the caller has shown it. */
  public record Created(AccessToken token, String secret) {
    @Override
    public String toString() {
      return "Created[" + token + "]";
    }
  }

  public Created create(String name, Role role, String actor) throws StoreException, BadRequestException, ConflictException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new BadRequestException("token name must be 1..200 letters, digits, '.', '_', '@' or '-' (starting with a letter or digit), got '"
          + (name == null ? "" : name) + "'");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    AccessToken token = new AccessToken(name, role.word(), hash(secret), clock.instant());
    if (!store.add(token)) throw new ConflictException("a token named " + name + " exists already; revoke it first");
    audit.append(entry(actor, "token-created", "token " + name + " (" + role.word() + ") created"));
    return new Created(token, secret);
  }

  public void revoke(String name, String actor) throws StoreException, NotFoundException {
    if (!store.remove(name)) throw new NotFoundException("no token named " + name);
    audit.append(entry(actor, "token-revoked", "token " + name + " revoked"));
  }

  public List<AccessToken> list() throws StoreException {
    return store.all();
  }

  /** Whether the API requires a token: once one exists, it does. */
  public boolean required() throws StoreException {
    return store.any();
  }

  /** The caller a presented secret stands for, if it is a token's. */
  public Optional<Caller> verify(String secret) throws StoreException {
    if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) return Optional.empty();
    Optional<AccessToken> token = store.byHash(hash(secret));
    if (token.isEmpty()) return Optional.empty();
    try {
      return Optional.of(new Caller(token.get().name(), Role.of(token.get().role()), true));
    } catch (BadRequestException unknownRole) {
      return Optional.empty(); // a row written by a newer engine with a role this one does not know: no access
    }
  }

  /** SHA-256 of the secret, hex: what the store keeps and looks tokens up by. */
  static String hash(String secret) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private AuditEntry entry(String actor, String kind, String message) {
    return new AuditEntry(clock.instant(), actor, Optional.empty(), Optional.empty(), kind, message, Optional.empty());
  }
}
