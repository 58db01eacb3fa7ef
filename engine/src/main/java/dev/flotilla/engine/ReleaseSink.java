package dev.flotilla.engine;

import dev.flotilla.fleet.Problem;
import java.util.List;

/** Where {@link FleetSync} reports what it found; the engine records each in its store and audit log. */
public interface ReleaseSink {
  /** The app's rendered output changed at {@code revision}: a new release. {@code forced}: not a descendant of the last sync. */
  void release(String app, String revision, String previousRevision, boolean forced);

  /** The app could not be rendered at {@code revision}; only this release stops. */
  void releaseFailed(String app, String revision, String error);

  /** The whole revision is invalid; nothing of it is rolled out and the last synced revision stays. */
  void revisionInvalid(String branch, String revision, List<Problem> problems);

  /**
   * The revision's commit is unsigned, signed by a key that the governing list ({@code
   * requireSignedCommits}, or the engine's pinned {@code --allowed-signers}) does not allow, or its
   * signature does not verify ({@code reason} says which); nothing of it is rolled out
   * and the last synced revision stays.
   */
  void revisionRefused(String branch, String revision, String reason);

  /** Fetching failed; the engine keeps its last synced revision and goes on. */
  void syncFailed(String branch, String error);

  /** {@code revision} is now the last synced revision of {@code branch}. */
  void synced(String branch, String revision, boolean forced);
}
