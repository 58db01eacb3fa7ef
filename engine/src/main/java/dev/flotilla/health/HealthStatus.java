package dev.flotilla.health;

/** How healthy one object (or one app at one site) is, from best to worst: {@code worse} compares by this order. */
public enum HealthStatus {
  /** Applied and doing what its spec asks. */
  HEALTHY,
  /** Applied, not yet there (a rollout going on, a volume being bound, a load balancer being assigned). */
  PROGRESSING,
  /** Was expected to work and does not: replicas unavailable after a complete rollout, a crash-looping pod. */
  DEGRADED,
  /** Will not get there without a change: a failed job, an exceeded progress deadline, a lost volume. */
  FAILED;

  boolean worseThan(HealthStatus other) {
    return compareTo(other) > 0;
  }
}
