package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.util.List;
import java.util.Optional;

/** The current target of every (pull site, app), stored durably: the one place sequences are handed out. */
public interface PullTargets {
  Optional<PullTarget> get(String site, String app) throws StoreException;

  /** The targets of one site, by app. */
  List<PullTarget> of(String site) throws StoreException;

  /** At most {@code limit} targets published before {@code cutoff}, oldest first: those whose bundles expire soonest. */
  List<PullTarget> publishedBefore(java.time.Instant cutoff, int limit) throws StoreException;

  /**
   * Makes {@code next} the target if the stored one still has sequence {@code previous} (0: none
   * stored yet); false when another publisher got there first.
   */
  boolean advance(PullTarget next, long previous) throws StoreException;
}
