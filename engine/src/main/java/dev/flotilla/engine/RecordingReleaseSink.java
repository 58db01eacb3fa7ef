package dev.flotilla.engine;

import dev.flotilla.fleet.Problem;
import dev.flotilla.engine.port.AuditEntry;
import dev.flotilla.engine.port.AuditLog;
import dev.flotilla.engine.port.ReleaseStore;
import dev.flotilla.engine.port.SyncStateStore;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.StoredRelease;
import dev.flotilla.engine.port.SyncState;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what the fleet sync finds (releases, failures, the last synced revision) in the store and
 * the audit log, and hands new releases to the {@link RolloutEngine}. A failure to record is logged
 * and reported back as an unchecked exception, so the sync job fails visibly and retries.
 */
public final class RecordingReleaseSink implements ReleaseSink {
  private static final Logger LOG = LoggerFactory.getLogger(RecordingReleaseSink.class);
  static final String SYNC_ACTOR = "sync";

  private final String repo;
  private final ReleaseStore releases;
  private final SyncStateStore syncState;
  private final AuditLog audit;
  private final RolloutEngine engine;
  private final Clock clock;

  public RecordingReleaseSink(String repo, ReleaseStore releases, SyncStateStore syncState, AuditLog audit, RolloutEngine engine, Clock clock) {
    this.repo = repo;
    this.releases = releases;
    this.syncState = syncState;
    this.audit = audit;
    this.engine = engine;
    this.clock = clock;
  }

  @Override
  public void release(String app, String revision, String previousRevision, boolean forced) {
    try {
      releases.recordIfNew(new StoredRelease(app, revision, clock.instant(), forced ? "HELD" : "NEW", Optional.empty()));
      // Not only when the release is new: recording it and creating its rollout are two
      // transactions, and an engine killed between them syncs the revision again on restart
      // (it was not marked synced) and finds the release recorded but no rollout for it.
      // onRelease creates nothing when the rollout exists.
      engine.onRelease(app, revision, forced);
    } catch (Exception e) {
      throw new IllegalStateException("recording release " + app + "@" + revision + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void releaseFailed(String app, String revision, String error) {
    record(() -> {
      releases.recordIfNew(new StoredRelease(app, revision, clock.instant(), "FAILED", Optional.of(error)));
      audit.append(new AuditEntry(clock.instant(), SYNC_ACTOR, Optional.empty(), Optional.of(app), "release-failed",
          "release " + app + "@" + revision + " failed to render; other apps go on", Optional.of(error)));
    });
  }

  @Override
  public void revisionInvalid(String branch, String revision, List<Problem> problems) {
    record(() -> {
      // The attempt and its error show in GET /sync; the last synced revision stays.
      Optional<SyncState> last = syncState.get(repo, branch);
      syncState.put(new SyncState(repo, branch, last.flatMap(SyncState::lastSyncedCommit), clock.instant(),
          Optional.of("revision " + revision + " is invalid (" + problems.size() + " problems): "
              + problems.stream().limit(5).map(Problem::toString).collect(Collectors.joining("; ")))));
    });
    record(() -> audit.append(new AuditEntry(clock.instant(), SYNC_ACTOR, Optional.empty(), Optional.empty(), "revision-invalid",
        "revision " + revision + " is invalid (" + problems.size() + " problems); the last synced revision stays",
        Optional.of(problems.stream().map(Problem::toString).collect(Collectors.joining("\n"))))));
  }

  @Override
  public void revisionRefused(String branch, String revision, String reason) {
    record(() -> {
      Optional<SyncState> last = syncState.get(repo, branch);
      syncState.put(new SyncState(repo, branch, last.flatMap(SyncState::lastSyncedCommit), clock.instant(),
          Optional.of("revision " + revision + " refused: " + reason)));
      audit.append(new AuditEntry(clock.instant(), SYNC_ACTOR, Optional.empty(), Optional.empty(), "revision-refused",
          "revision " + revision + " refused: " + reason + "; the last synced revision stays", Optional.of(reason)));
    });
  }

  @Override
  public void syncFailed(String branch, String error) {
    record(() -> {
      Optional<SyncState> last = syncState.get(repo, branch);
      syncState.put(new SyncState(repo, branch, last.flatMap(SyncState::lastSyncedCommit), clock.instant(), Optional.of(error)));
      audit.append(new AuditEntry(clock.instant(), SYNC_ACTOR, Optional.empty(), Optional.empty(), "sync-failed",
          "sync of " + branch + " failed; rollouts go on with the last synced revision", Optional.of(error)));
    });
  }

  @Override
  public void synced(String branch, String revision, boolean forced) {
    record(() -> {
      syncState.put(new SyncState(repo, branch, Optional.of(revision), clock.instant(), Optional.empty()));
      audit.append(new AuditEntry(clock.instant(), SYNC_ACTOR, Optional.empty(), Optional.empty(), "synced",
          "synced " + branch + " at " + revision + (forced ? " (force push: its releases wait for approval)" : ""), Optional.empty()));
    });
  }

  /** Something to store. */
  private interface Write {
    void run() throws StoreException;
  }

  private void record(Write write) {
    try {
      write.run();
    } catch (StoreException e) {
      LOG.error("sync: cannot record in the store: {}", e.getMessage());
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
