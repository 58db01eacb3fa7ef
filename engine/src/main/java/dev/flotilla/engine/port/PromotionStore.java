package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Promotions people asked for at a later time; each runs once, whoever fires it. */
public interface PromotionStore {
  void insert(UnitOfWork unit, ScheduledPromotion promotion) throws StoreException;

  void insert(ScheduledPromotion promotion) throws StoreException;

  /**
   * Marks the promotion done, once: true for the caller that marked it, false when it was already
   * done (or does not exist). A promotion job that gets false must not promote.
   */
  boolean markDone(UnitOfWork unit, String id, Instant doneAt) throws StoreException;

  boolean markDone(String id, Instant doneAt) throws StoreException;

  Optional<ScheduledPromotion> get(String id) throws StoreException;

  /** Promotions not yet done, soonest first. */
  List<ScheduledPromotion> pending() throws StoreException;

  /** Every promotion of one rollout, done or not, soonest first. */
  List<ScheduledPromotion> forRollout(String rolloutId) throws StoreException;
}
