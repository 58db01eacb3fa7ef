package dev.flotilla.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * One apply a simulated site did: which release it applied, for which rollout, when, and the
 * health it reported right after ({@link Health#FAILED} when the apply failed, {@link
 * Health#PROGRESSING} while it waits to become ready, else {@link Health#HEALTHY}). One line of the
 * simulator's journal, one entry of {@link SimulatedDelivery#history()}.
 */
public record AppliedRelease(String site, String app, String revision, String rolloutId, Instant at, Health health) {
  public AppliedRelease {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(health, "health");
  }

  public boolean failed() {
    return health == Health.FAILED;
  }
}
