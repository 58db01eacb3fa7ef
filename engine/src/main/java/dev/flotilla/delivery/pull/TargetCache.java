package dev.flotilla.delivery.pull;

import dev.flotilla.engine.port.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The targets of each site as last read, for the serving routes: a region reconnecting at once asks
 * mostly "has anything changed?", which should not be a database query per agent. A publication
 * in this process drops the site's entry at once (through {@link TargetWatch}); one by another
 * replica is seen after {@code fresh} at most.
 */
public final class TargetCache {
  private static final int MAX_SITES = 200_000;

  private final PullTargets targets;
  private final Clock clock;
  private final Duration fresh;
  private final ConcurrentMap<String, Entry> bySite = new ConcurrentHashMap<>();

  private record Entry(List<PullTarget> targets, Instant readAt) {}

  public TargetCache(PullTargets targets, TargetWatch watch, Clock clock, Duration fresh) {
    this.targets = targets;
    this.clock = clock;
    this.fresh = fresh;
    watch.onPublished(bySite::remove);
  }

  public List<PullTarget> of(String site) throws StoreException {
    Instant now = clock.instant();
    Entry e = bySite.get(site);
    if (e != null && now.isBefore(e.readAt().plus(fresh))) return e.targets();
    List<PullTarget> read = targets.of(site);
    if (bySite.size() >= MAX_SITES) bySite.clear();
    bySite.put(site, new Entry(read, now));
    return read;
  }

  public Optional<PullTarget> get(String site, String app) throws StoreException {
    return of(site).stream().filter(t -> t.app().equals(app)).findFirst();
  }
}
