package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A bearer token of the HTTP API as stored: its name (the actor its holder acts as), its role word
 * and the SHA-256 (hex) of the secret, never the secret itself.
 */
public record AccessToken(String name, String role, String hash, Instant createdAt) {
  public AccessToken {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(hash, "hash");
    createdAt = StoredInstants.micros(Objects.requireNonNull(createdAt, "createdAt"));
  }

  /** Never the hash: a token's record may be printed or logged. */
  @Override
  public String toString() {
    return "AccessToken[name=" + name + ", role=" + role + ", createdAt=" + createdAt + "]";
  }
}
