package dev.flotilla.engine.port;

import dev.flotilla.rollout.Rollout;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Rollouts as stored: a head (id, app, state, version) and a row per site, written by delta.
 * Methods that take a {@link UnitOfWork} join the caller's transaction.
 */
public interface RolloutStore {
  /** Inserts a new rollout with its sites; false, and nothing written, when one with its id exists. */
  boolean insert(UnitOfWork unit, Rollout r, Instant now) throws StoreException;

  /**
   * Writes {@code next} over the stored version {@code expectedVersion} of the same rollout,
   * {@code before} being what that version holds; false, and nothing written, when another writer
   * got there first.
   */
  boolean update(UnitOfWork unit, Rollout before, long expectedVersion, Rollout next, Instant now) throws StoreException;

  /** The rollout and its stored version. */
  Optional<VersionedRollout> get(String id) throws StoreException;

  Optional<VersionedRollout> get(UnitOfWork unit, String id) throws StoreException;

  /** The heads of the rollouts a pass acts on or arranges: not ended, not retired; oldest first. */
  List<RolloutHead> live() throws StoreException;

  /** The heads of every rollout of the filter, oldest first, at most {@code limit} after skipping {@code offset}. */
  List<RolloutHead> heads(RolloutFilter filter, int offset, int limit) throws StoreException;

  /** The newest completed release of the app (what a rollback returns to), retired or not. */
  Optional<String> lastCompletedRevision(UnitOfWork unit, String app) throws StoreException;

  Optional<RolloutHead> head(UnitOfWork unit, String id) throws StoreException;

  /** Records what the rollout waits on now, for the API; written only when it changed. */
  void waitingOn(UnitOfWork unit, String id, String waitingOn) throws StoreException;

  /** What each rollout waits on, as last recorded by a pass. */
  Map<String, String> waitingOn(List<String> ids) throws StoreException;
}
