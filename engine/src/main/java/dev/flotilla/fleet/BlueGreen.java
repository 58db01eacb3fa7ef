package dev.flotilla.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * A policy's {@code strategy: blueGreen}: at each push site the new release's Deployments run beside
 * the old ones, the Services that select them are switched once the new copy is healthy, and the old
 * copy is deleted {@code scaleDownDelay} after the switch (until then a rollback only switches back).
 */
public record BlueGreen(Duration scaleDownDelay) {
  /** Argo Rollouts' default {@code scaleDownDelaySeconds}. */
  public static final Duration DEFAULT_SCALE_DOWN_DELAY = Duration.ofSeconds(30);
  /** Longer than a day is a forgotten copy, not a delay. */
  public static final Duration MAX_SCALE_DOWN_DELAY = Duration.ofHours(24);

  public BlueGreen {
    Objects.requireNonNull(scaleDownDelay, "scaleDownDelay");
    if (scaleDownDelay.isNegative() || scaleDownDelay.compareTo(MAX_SCALE_DOWN_DELAY) > 0) {
      throw new IllegalArgumentException("scaleDownDelay must be between 0s and 24h, got " + Durations.format(scaleDownDelay));
    }
  }
}
