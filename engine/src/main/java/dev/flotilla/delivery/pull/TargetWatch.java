package dev.flotilla.delivery.pull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Wakes the long polls of a site when one of its targets moves. In-process only: a replica does not
 * hear another replica's publications, so a long poll there ends at its deadline and the agent's
 * next request sees the new target (the wait is bounded, so this delays, never loses, a change).
 */
public final class TargetWatch {
  private final ConcurrentMap<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  /** Also tells {@code listener} the site of every publication (caches of targets). */
  public void onPublished(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** A future completed at the next publication for {@code site}; shared by every poll of the site. */
  public CompletableFuture<Void> next(String site) {
    return waiting.computeIfAbsent(site, s -> new CompletableFuture<>());
  }

  /** Wakes every poll waiting on {@code site}. */
  public void published(String site) {
    listeners.forEach(l -> l.accept(site));
    CompletableFuture<Void> f = waiting.remove(site);
    if (f != null) f.complete(null);
  }

  /** How many sites have a poll waiting (for metrics and tests). */
  public int waitingSites() {
    return waiting.size();
  }
}
