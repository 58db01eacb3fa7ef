package dev.flotilla.engine.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How following the fleet repo goes ({@code GET /api/v1/sync}): the revision followed, the last
 * attempt and its error, and the most recent attempts, newest first (all from the store, so every
 * replica agrees and a restart keeps them).
 */
public record SyncView(String repo, String branch, String revision, Instant lastAttemptAt, String lastError, List<Attempt> attempts) {
  public SyncView {
    attempts = List.copyOf(attempts);
  }

  public SyncView(String repo, String branch, String revision, Instant lastAttemptAt, String lastError) {
    this(repo, branch, revision, lastAttemptAt, lastError, List.of());
  }

  /**
   * One sync: when, the revision fetched (null when fetching failed), how it went ({@code synced},
   * {@code unchanged}, {@code invalid}, {@code refused} by {@code requireSignedCommits} or the pinned {@code --allowed-signers}, {@code failed}), its error, the fleet's validation problems
   * as {@code file:line: field: message}, and the apps whose release failed to render, with why.
   * Identical attempts in a row are one: {@code count} of them, the first at {@code at}, the last at
   * {@code lastAt}, the last made by the engine on host {@code replica}.
   */
  public record Attempt(Instant at, String revision, String outcome, String error, List<String> problems, Map<String, String> failedReleases,
      int count, Instant lastAt, String replica) {
    public Attempt {
      problems = List.copyOf(problems);
      failedReleases = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(failedReleases));
    }
  }
}
