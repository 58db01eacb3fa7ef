package dev.flotilla.engine.port;

import java.util.Optional;

/** How far the engine has synced each branch of a fleet repo: what every replica follows. */
public interface SyncStateStore {
  Optional<SyncState> get(String repo, String branch) throws StoreException;

  /** Stores the state, replacing any earlier one for the same repo and branch. */
  void put(SyncState state) throws StoreException;
}
