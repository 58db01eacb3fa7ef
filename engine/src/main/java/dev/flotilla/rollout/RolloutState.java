package dev.flotilla.rollout;

/** Where a rollout stands. Only RUNNING promotes; CANCELLED and SUPERSEDED are final. */
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
  CANCELLED,
  /** Replaced by a newer revision of the same app. */
  SUPERSEDED;

  /** Whether the rollout will never act again. */
  public boolean ended() {
    return switch (this) {
      case CANCELLED, SUPERSEDED -> true;
      case HELD, QUEUED, RUNNING, PAUSED, HALTED, COMPLETED -> false;
    };
  }
}
