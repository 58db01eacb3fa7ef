package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** How far the engine has synced one branch of a fleet repo, and how its last attempt went. */
public record SyncState(
    String repo, String branch, Optional<String> lastSyncedCommit, Instant lastAttemptAt, Optional<String> lastError) {
  public SyncState {
    Objects.requireNonNull(repo, "repo");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(lastSyncedCommit, "lastSyncedCommit");
    lastAttemptAt = StoredInstants.micros(Objects.requireNonNull(lastAttemptAt, "lastAttemptAt"));
    Objects.requireNonNull(lastError, "lastError");
  }
}
