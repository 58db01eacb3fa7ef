package dev.flotilla.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * One ordered step of a rollout policy: which sites (a site belongs to the first wave that selects
 * it), how many may be updating at once, the gates before the next wave, how many failures halt
 * the rollout, what share of pull sites must acknowledge before the wave may finish, and how long
 * a site may take from being sent the release to reporting it healthy ({@code progressDeadline},
 * null for no limit) before it counts as failed.
 */
public record WaveSpec(
    String name,
    SiteSelector selector,
    Quantity maxUnavailable,
    Gates gates,
    Quantity failureThreshold,
    int completionPercent,
    Duration progressDeadline) {

  public WaveSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(selector, "selector");
    maxUnavailable = maxUnavailable == null ? Quantity.percentOf(100) : maxUnavailable;
    gates = gates == null ? Gates.NONE : gates;
    failureThreshold = failureThreshold == null ? Quantity.count(0) : failureThreshold;
    if (completionPercent < 1 || completionPercent > 100) {
      throw new IllegalArgumentException("completion must be 1..100 percent, got " + completionPercent);
    }
    if (progressDeadline != null && (progressDeadline.isZero() || progressDeadline.isNegative())) {
      throw new IllegalArgumentException("progressDeadline must be positive, got " + progressDeadline);
    }
  }

  /** A wave without a progress deadline: a site may take as long as it needs. */
  public WaveSpec(String name, SiteSelector selector, Quantity maxUnavailable, Gates gates, Quantity failureThreshold,
      int completionPercent) {
    this(name, selector, maxUnavailable, gates, failureThreshold, completionPercent, null);
  }

  public WaveSpec withGates(Gates newGates) {
    return new WaveSpec(name, selector, maxUnavailable, newGates, failureThreshold, completionPercent, progressDeadline);
  }
}
