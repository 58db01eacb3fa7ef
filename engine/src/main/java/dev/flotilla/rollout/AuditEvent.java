package dev.flotilla.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a rollout's history: what changed, when, and who made it change ("engine" or a
 * person). {@code kind} is a short stable word for filtering, such as {@code wave-promoted}.
 */
public record AuditEvent(Instant at, String actor, String rolloutId, String kind, String message) {

  public static final String ENGINE = "engine";

  public AuditEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return at + " " + rolloutId + " " + kind + " (" + actor + "): " + message;
  }
}
