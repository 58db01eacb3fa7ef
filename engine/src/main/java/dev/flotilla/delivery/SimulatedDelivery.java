package dev.flotilla.delivery;

import dev.flotilla.delivery.SiteEvent.ApplyDue;
import dev.flotilla.delivery.SiteEvent.ReadyDue;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Delivery} to in-process simulated sites, for the engine's tests, the demo and benchmarks.
 *
 * <p><b>Time is tick-driven.</b> Nothing happens by itself: {@link #deliver} schedules the site's
 * apply at {@code clock.instant() + applyDelay}, and {@link #tick()} carries out everything due at
 * {@code clock.instant()}, in due order, stamping each apply and report with its due time. Tests
 * move an injected clock and tick, with no sleeping; the demo wraps the simulator in a {@link
 * RealTimeTicker} over the system clock. A site that applied a release reports it with {@link
 * Health#PROGRESSING}, then {@link Health#HEALTHY} once {@code readyDelay} has passed (at once if it
 * is zero).
 *
 * <p><b>Newest wins.</b> Per app, a site holds at most one release it has not applied yet; a newer
 * delivery replaces it, so a site never applies an older revision after a newer one.
 *
 * <p><b>Offline.</b> An offline site applies and reports nothing. Delivering to an offline push site
 * throws ({@code site unreachable}); delivering to an offline pull site publishes the release, and
 * when the site comes back it reports, then applies only the newest release per app, in one step.
 *
 * <p><b>Durable.</b> With a journal, every apply is appended as one JSON line and forced to disk
 * (once per tick, for all of the tick's applies) before its report becomes visible; a new simulator
 * on the same file resumes every site with what it ran. Releases given but not yet applied, health
 * flips, offline states and failure rules live in memory only: after a restart the engine delivers
 * again, and delivering what a site runs is a no-op.
 *
 * <p><b>Threads.</b> {@link #deliver} and {@link #status} may be called from any thread and cost
 * O(1) (O(log n) to schedule); each site has its own lock. Ticks and commands are serialized.
 */
public final class SimulatedDelivery implements Delivery, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimulatedDelivery.class);

  private final Clock clock;
  private final Delay applyDelay;
  private final Delay readyDelay;
  private final RandomGenerator random;
  private final ApplyJournal journal;
  private final ConcurrentHashMap<String, SimulatedSite> sites = new ConcurrentHashMap<>();
  private final EventQueue queue = new EventQueue();
  private final List<FailureRule> failureRules = new CopyOnWriteArrayList<>();
  private final List<AppliedRelease> history = new ArrayList<>();
  private final ReentrantLock ticking = new ReentrantLock();
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder unreachable = new LongAdder();
  private final LongAdder applies = new LongAdder();
  private final LongAdder failedApplies = new LongAdder();

  private final GivenJournal given;

  private SimulatedDelivery(Builder b, ApplyJournal journal, GivenJournal given) {
    this.given = given;
    this.clock = b.clock;
    this.applyDelay = b.applyDelay;
    this.readyDelay = b.readyDelay;
    this.random = b.random;
    this.journal = journal;
  }

  /** A simulator whose sites apply at once and are ready at once, with no journal. */
  public static Builder builder(Clock clock) {
    return new Builder(clock);
  }

  /** Configures a {@link SimulatedDelivery}; {@link #build()} replays the journal, if any. */
  public static final class Builder {
    private final Clock clock;
    private Delay applyDelay = Delay.NONE;
    private Delay readyDelay = Delay.NONE;
    private RandomGenerator random = new SplittableRandom(0);
    private Path journal;

    private Builder(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long after a delivery (or a pull site's reconnect) a site applies; default none. */
    public Builder applyDelay(Delay delay) {
      this.applyDelay = Objects.requireNonNull(delay, "applyDelay");
      return this;
    }

    /** How long after an apply a site becomes HEALTHY; default none. */
    public Builder readyDelay(Delay delay) {
      this.readyDelay = Objects.requireNonNull(delay, "readyDelay");
      return this;
    }

    /** Draws the delays that are ranges; seed it to replay a run. Default: seeded with 0. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** Makes applies durable in this file (created if missing) and resumes the sites from it. */
    public Builder journal(Path journal) {
      this.journal = Objects.requireNonNull(journal, "journal");
      return this;
    }

    /** @throws IOException if the journal cannot be read or written, or a line other than the last is corrupt */
    public SimulatedDelivery build() throws IOException {
      List<AppliedRelease> replayed = new ArrayList<>();
      ApplyJournal opened = journal == null ? null : ApplyJournal.open(journal, replayed);
      Map<String, GivenJournal.Given> newestGiven = new java.util.LinkedHashMap<>();
      GivenJournal given = journal == null ? null
          : GivenJournal.open(journal.resolveSibling(journal.getFileName() + ".given"), newestGiven);
      SimulatedDelivery simulator = new SimulatedDelivery(this, opened, given);
      simulator.resume(replayed);
      simulator.giveAgain(newestGiven.values(), replayed);
      return simulator;
    }
  }

  private void resume(List<AppliedRelease> replayed) {
    Instant now = clock.instant();
    for (AppliedRelease applied : replayed) {
      SimulatedSite site = site(applied.site());
      site.restore(applied, now, draw(site.readyDelayOr(readyDelay)), queue);
    }
    history.addAll(replayed);
    if (!replayed.isEmpty()) {
      LOG.info("simulator: resumed {} sites from {} journaled applies in {}", sites.size(), replayed.size(),
          journal.file());
    }
  }

  /** Releases given before a kill and not applied since are given again: the engine counts them as delivered. */
  private void giveAgain(java.util.Collection<GivenJournal.Given> newest, List<AppliedRelease> replayed) {
    java.util.Set<String> applied = new java.util.HashSet<>();
    for (AppliedRelease a : replayed) applied.add(a.site() + "\n" + a.app() + "\n" + a.revision());
    int again = 0;
    for (GivenJournal.Given g : newest) {
      if (applied.contains(g.site() + "\n" + g.app() + "\n" + g.revision())) continue;
      SimulatedSite site = site(g.site());
      site.offer(g.release(), clock.instant(), draw(site.applyDelayOr(applyDelay)), queue);
      again++;
    }
    if (again > 0) LOG.info("simulator: {} release(s) given before the restart and not applied yet are pending again", again);
  }

  // --- the port ---

  @Override
  public void deliver(SiteRelease release) throws DeliveryException {
    SimulatedSite site = site(release.site().name());
    Duration delay = draw(site.applyDelayOr(applyDelay));
    switch (site.offer(release, clock.instant(), delay, queue)) {
      case ACCEPTED -> {
        // Durable before the engine may count it as carried out.
        if (given != null) given.append(release);
        deliveries.increment();
      }
      case DUPLICATE -> duplicates.increment();
      case UNREACHABLE -> {
        unreachable.increment();
        throw new DeliveryException(release, "site unreachable (push site " + site.name() + " is offline)");
      }
    }
  }

  @Override
  public Optional<SiteReport> status(String site, String app) {
    SimulatedSite s = sites.get(site);
    return s == null ? Optional.empty() : s.report(app, true);
  }

  @Override
  public List<SiteReport> statuses(String app) {
    List<SiteReport> reports = new ArrayList<>();
    for (SimulatedSite s : sites.values()) s.report(app, false).ifPresent(reports::add);
    return reports;
  }

  // --- time ---

  /**
   * Carries out every apply and readiness due at the clock's instant, in due order; the applies
   * are journaled (and forced) before any of their reports becomes visible.
   *
   * @return how many reports changed
   * @throws java.io.UncheckedIOException if the journal cannot be written; the sites are then ahead of it
   */
  public int tick() {
    ticking.lock();
    try {
      Instant now = clock.instant();
      List<AppliedRelease> applied = new ArrayList<>();
      List<SiteEvent> changed = new ArrayList<>();
      for (SiteEvent event; (event = queue.pollDue(now)) != null; ) {
        SimulatedSite site = sites.get(event.site());
        if (event instanceof ApplyDue due) {
          AppliedRelease a = site.apply(due, failureRules, draw(site.readyDelayOr(readyDelay)), queue);
          if (a != null) {
            applied.add(a);
            changed.add(event);
          }
        } else if (event instanceof ReadyDue due && site.ready(due)) {
          changed.add(event);
        }
      }
      record(applied);
      for (SiteEvent event : changed) sites.get(event.site()).publish(event.app());
      return changed.size();
    } finally {
      ticking.unlock();
    }
  }

  private void record(List<AppliedRelease> applied) {
    if (applied.isEmpty()) return;
    if (journal != null) journal.append(applied);
    synchronized (history) {
      history.addAll(applied);
    }
    for (AppliedRelease a : applied) {
      applies.increment();
      if (a.failed()) {
        failedApplies.increment();
        LOG.info("simulator: site {} failed to apply {}@{} (rollout {})", a.site(), a.app(), a.revision(), a.rolloutId());
      } else {
        LOG.debug("simulator: site {} applied {}@{} (rollout {})", a.site(), a.app(), a.revision(), a.rolloutId());
      }
    }
  }

  // --- commands ---

  /** The site stops applying and reporting; a push site becomes unreachable. */
  public void goOffline(String site) {
    command(() -> site(site).goOffline(clock.instant()));
    LOG.info("simulator: site {} went offline", site);
  }

  /** The site reports again and applies the newest release it was given per app. */
  public void goOnline(String site) {
    command(() -> {
      SimulatedSite s = site(site);
      s.goOnline(clock.instant(), () -> draw(s.applyDelayOr(applyDelay)), draw(s.readyDelayOr(readyDelay)), queue);
    });
    LOG.info("simulator: site {} came back online", site);
  }

  /**
   * Flips the health the site reports for the app (e.g. DEGRADED, then HEALTHY again): visible at
   * once, or when the site comes back if it is offline. Cancels a pending "becomes ready".
   */
  public void setHealth(String site, String app, Health health) {
    Objects.requireNonNull(health, "health");
    command(() -> site(site).setHealth(app, health, clock.instant()));
    LOG.info("simulator: site {} app {} health set to {}", site, app, health);
  }

  /** Overrides the apply delay for one site (for deliveries from now on). */
  public void applyDelay(String site, Delay delay) {
    site(site).applyDelay(Objects.requireNonNull(delay, "delay"));
  }

  /** Overrides the "becomes ready" delay for one site (for applies from now on). */
  public void readyDelay(String site, Delay delay) {
    site(site).readyDelay(Objects.requireNonNull(delay, "delay"));
  }

  /** Every apply from now on of a release whose manifests contain {@code text} (e.g. an image tag) fails. */
  public void failReleasesContaining(String text) {
    if (text == null || text.isEmpty()) throw new IllegalArgumentException("a failure rule needs a non-empty text");
    failureRules.add(new FailureRule.ManifestsContain(text));
  }

  /** Every apply from now on of {@code revision} (of any app) at {@code site} fails. */
  public void failRevisionAt(String site, String revision) {
    failureRules.add(new FailureRule.RevisionAtSite(Objects.requireNonNull(site, "site"),
        Objects.requireNonNull(revision, "revision")));
  }

  public void clearFailureRules() {
    failureRules.clear();
  }

  private void command(Runnable change) {
    ticking.lock();
    try {
      change.run();
    } finally {
      ticking.unlock();
    }
  }

  // --- observation ---

  /** Every apply so far (replayed ones first), in the order the sites did them. */
  public List<AppliedRelease> history() {
    synchronized (history) {
      return List.copyOf(history);
    }
  }

  public SimulationCounters counters() {
    return new SimulationCounters(deliveries.sum(), duplicates.sum(), unreachable.sum(), applies.sum(),
        failedApplies.sum());
  }

  /** What the site runs for the app now, whether or not it has reported it yet. */
  public Optional<String> runningRevision(String site, String app) {
    SimulatedSite s = sites.get(site);
    return s == null ? Optional.empty() : s.running(app);
  }

  public boolean isOnline(String site) {
    SimulatedSite s = sites.get(site);
    return s == null || s.online();
  }

  /** How many applies and readinesses are scheduled (stale ones included): zero means the fleet is idle. */
  public int scheduledEvents() {
    return queue.size();
  }

  /** Closes the journal; the simulator must not be used afterwards. */
  @Override
  public void close() throws IOException {
    if (journal != null) journal.close();
    if (given != null) given.close();
  }

  private SimulatedSite site(String name) {
    Objects.requireNonNull(name, "site");
    return sites.computeIfAbsent(name, SimulatedSite::new);
  }

  private Duration draw(Delay delay) {
    if (delay.isFixed()) return delay.min();
    synchronized (random) {
      return delay.draw(random);
    }
  }
}
