package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A person's approval of one wave of a rollout; each actor approves a wave at most once. */
public record Approval(String rolloutId, String wave, String actor, Instant at, Optional<String> comment) {
  public Approval {
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(wave, "wave");
    Objects.requireNonNull(actor, "actor");
    at = StoredInstants.micros(Objects.requireNonNull(at, "at"));
    Objects.requireNonNull(comment, "comment");
  }
}
