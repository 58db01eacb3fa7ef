package dev.flotilla.engine;

import java.time.Instant;
import java.util.Optional;

/** Runs a scheduled promotion at its time (a Quartz one-shot job in the engine; directly in tests). */
public interface PromotionScheduler {
  void schedule(String promotionId, Instant at) throws SchedulingException;

  /**
   * When a promotion asked for {@code at} would first run: later than {@code at} when a freeze
   * holds it, empty when it never would. Asked before anything is stored.
   */
  default Optional<Instant> firstRun(Instant at) {
    return Optional.of(at);
  }
}
