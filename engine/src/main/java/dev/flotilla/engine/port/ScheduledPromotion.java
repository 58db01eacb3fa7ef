package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A promotion of a rollout that a person asked for at a later time (a maintenance window): past
 * the gates of {@code wave}, the wave current when it was asked for (empty in rows of before V3).
 */
public record ScheduledPromotion(
    String id, String rolloutId, Instant at, String actor, Instant createdAt, Optional<Instant> doneAt, Optional<String> wave) {

  public ScheduledPromotion(String id, String rolloutId, Instant at, String actor, Instant createdAt, Optional<Instant> doneAt) {
    this(id, rolloutId, at, actor, createdAt, doneAt, Optional.empty());
  }

  public ScheduledPromotion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(rolloutId, "rolloutId");
    at = StoredInstants.micros(Objects.requireNonNull(at, "at"));
    Objects.requireNonNull(actor, "actor");
    createdAt = StoredInstants.micros(Objects.requireNonNull(createdAt, "createdAt"));
    doneAt = Objects.requireNonNull(doneAt, "doneAt").map(StoredInstants::micros);
    Objects.requireNonNull(wave, "wave");
  }
}
