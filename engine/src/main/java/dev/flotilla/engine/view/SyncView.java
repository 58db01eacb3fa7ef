package dev.flotilla.engine.view;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How following the fleet repo goes ({@code GET /api/v1/sync}): the revision followed, the last
 * attempt and its error (from the store, so every replica agrees), and this engine's most recent
 * attempts, newest first.
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
   */
  public record Attempt(Instant at, String revision, String outcome, String error, List<String> problems, Map<String, String> failedReleases) {
    public Attempt {
      problems = List.copyOf(problems);
      failedReleases = Map.copyOf(failedReleases);
    }
  }
}
