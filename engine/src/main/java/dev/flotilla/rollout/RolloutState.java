package dev.flotilla.rollout;

/**
 * Where a rollout stands. Only RUNNING promotes. COMPLETED, HALTED, ROLLED_BACK, ABORTED and SUPERSEDED
 * are terminal: the engine never changes them (a newer release retires a completed or halted one);
 * only a person's rollback of a completed or halted release records ROLLED_BACK.
 */
public enum RolloutState {
  /** Waits for a person: a force push that does not descend from the last synced commit. */
  HELD,
  /** Waits for the app's running rollout to finish or halt (supersede: queue). */
  QUEUED,
  RUNNING,
  /** Stopped by a person; observations are still recorded. */
  PAUSED,
  /** Stopped by failures past the threshold or a failed gate; a newer revision supersedes it. */
  HALTED,
  /** Every wave passed its gates; still updates sites that join the fleet until superseded. */
  COMPLETED,
  /** Aborted or rolled back by a person. */
  /** Rolled back by a person: a rollback rollout takes its sites back to the last good revision. */
  ROLLED_BACK,
  /** Aborted by a person: sites keep what they run. */
  ABORTED,
  /** Replaced by a newer revision of the same app. */
  SUPERSEDED;

  /** Whether the rollout will never act again. */
  public boolean ended() {
    return switch (this) {
      case ROLLED_BACK, ABORTED, SUPERSEDED -> true;
      case HELD, QUEUED, RUNNING, PAUSED, HALTED, COMPLETED -> false;
    };
  }
}
