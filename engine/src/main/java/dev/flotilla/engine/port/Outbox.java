package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.List;

/**
 * The delivery intents the rollout state machine decided, kept until a delivery worker carried
 * them out; each worker claims an intent under a lease, so replicas never share one.
 */
public interface Outbox {
  /**
   * Records intents in the caller's transaction; one already recorded (same key) is left as it is.
   * Each replaces the not yet delivered intents of other releases of the same app at the same site:
   * the newest decision for a site is the one to carry out, so a site never gets an older revision
   * after a newer one.
   */
  void add(UnitOfWork unit, List<DeliveryIntent> intents, Instant now) throws StoreException;

  /** Cancels the rollout's intents not yet carried out (it halted, was superseded or aborted), or only those of {@code sites}. */
  void cancel(UnitOfWork unit, String rolloutId, List<String> sites, Instant now) throws StoreException;

  /**
   * Claims up to {@code max} intents due at {@code now} for {@code owner} until {@code leaseUntil},
   * each claim a compare-and-set; returns the ones this caller got.
   */
  List<DeliveryIntent> claim(String owner, Instant now, Instant leaseUntil, int max) throws StoreException;

  /**
   * What became of one claimed intent: done ({@code error} null), to be tried again at {@code
   * nextAttemptAt}, or refused by the site for good ({@code error} with no next attempt: the intent
   * ends {@code FAILED} and keeps the error; the site's report says it failed).
   */
  record Outcome(DeliveryIntent intent, String error, Instant nextAttemptAt) {
    public boolean refused() {
      return error != null && nextAttemptAt == null;
    }
  }

  /**
   * Records the outcomes of many attempts in one transaction; returns how many intents became done.
   * An outcome whose claim was lost (its lease ran out and someone else took the intent) changes nothing.
   */
  int finish(List<Outcome> outcomes, Instant now) throws StoreException;

  /** How many intents wait to be carried out now or later (pending, claimed or not). */
  int pending() throws StoreException;

  /**
   * Whether no delivery of the app to the site is under way or waiting, and none was recorded,
   * carried out or given up at or after {@code since}: what a drift check needs to hold before and
   * after it reads a cluster, so it never takes a release being applied for drift, nor heals a site
   * back to a release a newer delivery just replaced.
   */
  boolean quietSince(UnitOfWork unit, String app, String site, Instant since) throws StoreException;

}
