package dev.flotilla.fleet;

import java.util.Objects;

/**
 * One ordered step of a rollout policy: which sites (a site belongs to the first wave that selects
 * it), how many may be updating at once, the gates before the next wave, how many failures halt
 * the rollout, and what share of pull sites must acknowledge before the wave may finish.
 */
public record WaveSpec(
    String name,
    SiteSelector selector,
    Quantity maxUnavailable,
    Gates gates,
    Quantity failureThreshold,
    int completionPercent) {

  public WaveSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(selector, "selector");
    maxUnavailable = maxUnavailable == null ? Quantity.percentOf(100) : maxUnavailable;
    gates = gates == null ? Gates.NONE : gates;
    failureThreshold = failureThreshold == null ? Quantity.count(0) : failureThreshold;
    if (completionPercent < 1 || completionPercent > 100) {
      throw new IllegalArgumentException("completion must be 1..100 percent, got " + completionPercent);
    }
  }
}
