package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A release (one app at one revision) as the store keeps it: when it was first seen, and its state. */
public record StoredRelease(String app, String revision, Instant firstSeenAt, String state, Optional<String> error) {
  public StoredRelease {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    firstSeenAt = StoredInstants.micros(Objects.requireNonNull(firstSeenAt, "firstSeenAt"));
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
  }
}
