package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One event in the audit log: who did what, when, to which rollout or app. {@code kind} is a short
 * word the engine chooses ("rollout.created", "wave.promoted", "approval.given"); {@code details}
 * may hold JSON.
 */
public record AuditEntry(
    Instant at,
    String actor,
    Optional<String> rolloutId,
    Optional<String> app,
    String kind,
    String message,
    Optional<String> details) {
  public AuditEntry {
    at = StoredInstants.micros(Objects.requireNonNull(at, "at"));
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(details, "details");
  }

  /** An entry about one rollout of one app, without details. */
  public static AuditEntry forRollout(Instant at, String actor, String rolloutId, String app, String kind, String message) {
    return new AuditEntry(at, actor, Optional.of(rolloutId), Optional.of(app), kind, message, Optional.empty());
  }

  public AuditEntry withDetails(String details) {
    return new AuditEntry(at, actor, rolloutId, app, kind, message, Optional.of(details));
  }
}
