package dev.flotilla.agent;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (the AWS architecture blog's "full jitter"): after the n-th
 * failure in a row, a wait drawn uniformly from [0, min(max, base·2^(n-1))], so a region's agents
 * that lost the engine together do not come back together.
 */
public record Backoff(Duration base, Duration max) {
  public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  public Backoff {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) throw new IllegalArgumentException("need 0 < base <= max");
  }

  public Duration after(int failures, RandomGenerator random) {
    long cap = Math.min(max.toMillis(), base.toMillis() << Math.min(30, Math.max(0, failures - 1)));
    return Duration.ofMillis(random.nextLong(cap + 1));
  }
}
