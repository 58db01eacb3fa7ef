package dev.flotilla.engine.port;

import java.util.Collection;
import java.util.Map;

/** The gate signals last fetched per rollout: written off the pass, read by the pass and the API. */
public interface GateSignalStore {
  /** Replaces what is recorded for the rollout. */
  void put(RecordedSignals signals) throws StoreException;

  /** Every rollout's recorded signals, by rollout id: one read per pass. */
  Map<String, RecordedSignals> all() throws StoreException;

  /** Forgets the signals of every rollout not in {@code rolloutIds} (their waves no longer wait on gates). */
  void retain(Collection<String> rolloutIds) throws StoreException;
}
