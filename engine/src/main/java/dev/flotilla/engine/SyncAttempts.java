package dev.flotilla.engine;

import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.SyncAttempt;
import dev.flotilla.engine.port.SyncAttemptStore;
import dev.flotilla.engine.view.SyncView;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent sync attempts of the followed branch, for {@code GET /api/v1/sync}: a broken revision
 * or a failing fetch shows there with its time and error, next to the store's last attempt. They
 * are stored ({@link SyncAttemptStore}), so every replica shows the same ones and a restart keeps
 * them; failures are in the audit log for good.
 */
public final class SyncAttempts {
  private static final Logger LOG = LoggerFactory.getLogger(SyncAttempts.class);

  private final SyncAttemptStore store;
  private final String repo;
  private final String branch;
  private final String replica;

  /** Attempts of {@code repo}'s {@code branch}, recorded as made by {@code replica} (this engine's host name). */
  public SyncAttempts(SyncAttemptStore store, String repo, String branch, String replica) {
    this.store = store;
    this.repo = repo;
    this.branch = branch;
    this.replica = replica;
  }

  /**
   * Records one sync. A store that fails to record it costs the attempt its row, never the sync:
   * the failure is logged and the sync goes on (its result is in {@code sync_state} and the audit log).
   */
  public void add(Instant at, FleetSync.Outcome outcome) {
    try {
      store.record(SyncAttempt.once(repo, branch, at, outcome.attempted(), word(outcome), outcome.error(), outcome.problems(),
          outcome.failures(), replica));
    } catch (StoreException | RuntimeException e) {
      LOG.warn("sync {}: attempt at {} ({}) not recorded, the sync goes on: {}", branch, at, word(outcome), e.getMessage());
    }
  }

  /** Up to {@code limit} attempts, newest first. */
  public List<SyncView.Attempt> recent(int limit) throws StoreException {
    return store.recent(repo, branch, limit).stream().map(a -> new SyncView.Attempt(a.at(), a.revision(), a.outcome(), a.error(),
        a.problems(), a.failedReleases(), a.count(), a.lastAt(), a.replica())).toList();
  }

  static String word(FleetSync.Outcome outcome) {
    if (outcome.error() == null) return outcome.changed() ? "synced" : "unchanged";
    return outcome.refused() ? "refused" : !outcome.problems().isEmpty() ? "invalid" : "failed";
  }
}
