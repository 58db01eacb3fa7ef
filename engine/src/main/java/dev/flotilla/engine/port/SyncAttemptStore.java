package dev.flotilla.engine.port;

import java.util.List;

/**
 * The recent sync attempts of the fleet repo, as every replica sees them and kept across restarts:
 * newest first, bounded, and an attempt that repeats the one before it folded into it, so polling
 * an unreachable remote all day is one row, not thousands.
 */
public interface SyncAttemptStore {
  /** How many attempts a store keeps unless told otherwise, of every repo and branch together. */
  int KEEP = 200;

  /**
   * Records {@code attempt}. When it repeats the newest attempt of its repo and branch ({@link
   * SyncAttempt#repeatedBy}), that one's count goes up and its last time becomes {@code attempt}'s;
   * otherwise it is added, and the oldest attempts beyond the store's bound are forgotten.
   */
  void record(SyncAttempt attempt) throws StoreException;

  /** Up to {@code limit} attempts of the repo's branch, newest first. */
  List<SyncAttempt> recent(String repo, String branch, int limit) throws StoreException;
}
