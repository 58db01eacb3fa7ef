package dev.flotilla.delivery;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a simulated site takes for a step: a fixed duration, or one drawn uniformly from {@code
 * [min, max]} with the simulator's seeded random generator (so a demo run can be replayed).
 */
public record Delay(Duration min, Duration max) {
  public static final Delay NONE = fixed(Duration.ZERO);

  public Delay {
    Objects.requireNonNull(min, "min");
    Objects.requireNonNull(max, "max");
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("a delay needs 0 <= min <= max, got " + min + ".." + max);
    }
  }

  public static Delay fixed(Duration duration) {
    return new Delay(duration, duration);
  }

  public static Delay between(Duration min, Duration max) {
    return new Delay(min, max);
  }

  boolean isFixed() {
    return min.equals(max);
  }

  /** Draws one duration; the generator is only touched when the delay is a range. */
  Duration draw(RandomGenerator random) {
    if (isFixed()) return min;
    long span = max.toNanos() - min.toNanos();
    return min.plusNanos(random.nextLong(span + 1));
  }
}
