package dev.flotilla.engine;

import dev.flotilla.engine.view.SyncView;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The most recent sync attempts of this engine, newest first, for {@code GET /api/v1/sync}: a
 * broken revision or a failing fetch shows there with its time and error at every poll, next to the
 * store's last attempt (failures are in the audit log for good).
 */
public final class SyncAttempts {
  private final int capacity;
  private final Deque<SyncView.Attempt> attempts = new ArrayDeque<>();

  public SyncAttempts(int capacity) {
    this.capacity = capacity;
  }

  public synchronized void add(Instant at, FleetSync.Outcome outcome) {
    String word = outcome.error() == null ? (outcome.changed() ? "synced" : "unchanged")
        : outcome.refused() ? "refused" : !outcome.problems().isEmpty() ? "invalid" : "failed";
    attempts.addFirst(new SyncView.Attempt(at, outcome.attempted(), word, outcome.error(), outcome.problems(), outcome.failures()));
    while (attempts.size() > capacity) attempts.removeLast();
  }

  public synchronized List<SyncView.Attempt> recent() {
    return new ArrayList<>(attempts);
  }
}
