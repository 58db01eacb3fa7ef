package dev.flotilla.delivery;

/** The health a site reports for an app's workloads. */
public enum Health {
  /** Everything of the revision is applied and ready. */
  HEALTHY,
  /** Applied, not yet ready. */
  PROGRESSING,
  /** Was ready, is not any more. */
  DEGRADED,
  /** The revision could not be applied or will never become ready. */
  FAILED,
  /** The site cannot tell (or has not said). */
  UNKNOWN
}
