package dev.flotilla.rollout;

/** Whether a rollout promotes a new release or takes sites back to the last good revision. */
public enum RolloutKind {
  RELEASE,
  ROLLBACK
}
