package dev.flotilla.rollout;

/** Where a wave stands: not promoted to yet, sending batches, waiting on its gates, or passed. */
public enum WavePhase {
  PENDING,
  UPDATING,
  GATED,
  PASSED
}
