package dev.flotilla.rollout;

/** The state of one commit-status context for the rollout's revision, as the Git provider reports it. */
public enum CiStatus {
  PASSED,
  PENDING,
  FAILED
}
