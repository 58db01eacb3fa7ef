package dev.flotilla.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A rollout as the store keeps it: the engine's JSON document ({@code body}) plus the columns that
 * lists filter on, and a {@code version} that every update raises by one (optimistic locking).
 * Times are kept to the microsecond.
 */
public record StoredRollout(
    String id,
    String app,
    String revision,
    String kind,
    String state,
    long version,
    Instant createdAt,
    Instant updatedAt,
    String body) {
  public StoredRollout {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(body, "body");
    createdAt = Jdbc.storable(Objects.requireNonNull(createdAt, "createdAt"));
    updatedAt = Jdbc.storable(Objects.requireNonNull(updatedAt, "updatedAt"));
    if (version < 0) throw new IllegalArgumentException("version must not be negative, got " + version);
  }

  /** The next version of this rollout: new state and body, version plus one. */
  public StoredRollout next(String newState, String newBody, Instant now) {
    return new StoredRollout(id, app, revision, kind, newState, version + 1, createdAt, now, newBody);
  }
}
