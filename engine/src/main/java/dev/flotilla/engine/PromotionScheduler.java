package dev.flotilla.engine;

import java.time.Instant;

/** Runs a scheduled promotion at its time (a Quartz one-shot job in the engine; directly in tests). */
public interface PromotionScheduler {
  void schedule(String promotionId, Instant at) throws SchedulingException;
}
