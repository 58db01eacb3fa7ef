package dev.flotilla.engine;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.RenderException;
import dev.flotilla.store.DeliveryIntent;
import dev.flotilla.store.JdbcOutbox;
import dev.flotilla.store.JdbcSiteReports;
import dev.flotilla.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the outbox: a bounded pool of threads takes due delivery intents (a lease each, so
 * replicas never share one), renders nothing new (the desired state comes from the revision
 * catalog's cache), calls the delivery adapter and records the outcome. A failed attempt goes back
 * to the outbox with exponential backoff and jitter, and the site is marked unreachable with the
 * adapter's reason; an attempt that takes longer than {@code callTimeout} is abandoned as failed
 * (its thread is interrupted; its slot stays taken until the adapter returns, so a hanging adapter
 * can use up the pool but never more). The scheduling pass never waits for any of this.
 */
public final class DeliveryWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorkers.class);

  /** Retry timing: the first retry after about {@code base}, doubling up to {@code max}, each drawn between half and all of it. */
  public record Backoff(Duration base, Duration max) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));

    Duration after(int attempts, RandomGenerator random) {
      long baseMs = base.toMillis();
      long capped = Math.min(max.toMillis(), baseMs << Math.min(30, Math.max(0, attempts - 1)));
      return Duration.ofMillis(capped / 2 + random.nextLong(capped / 2 + 1));
    }
  }

  private final JdbcOutbox outbox;
  private final Delivery delivery;
  private final RevisionCatalog catalog;
  private final RolloutEngine.FollowedRevision followed;
  private final JdbcSiteReports reports;
  private final Clock clock;
  private final RandomGenerator random;
  private final Backoff backoff;
  private final Duration callTimeout;
  private final int threads;
  private final String owner = "engine-" + UUID.randomUUID();
  private final ExecutorService pool;
  private final ScheduledExecutorService timer;
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicInteger unsettled = new AtomicInteger();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();

  public DeliveryWorkers(JdbcOutbox outbox, Delivery delivery, RevisionCatalog catalog, RolloutEngine.FollowedRevision followed,
      JdbcSiteReports reports, Clock clock, RandomGenerator random, Backoff backoff, Duration callTimeout, int threads) {
    this.outbox = outbox;
    this.delivery = delivery;
    this.catalog = catalog;
    this.followed = followed;
    this.reports = reports;
    this.clock = clock;
    this.random = random;
    this.backoff = backoff;
    this.callTimeout = callTimeout;
    this.threads = threads;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> daemon(r, "flotilla-delivery-" + n.incrementAndGet()));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flotilla-delivery-timeouts"));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Claims as many due intents as there are idle threads and starts them; returns how many it started. */
  public synchronized int dispatch() throws StoreException {
    int free = threads - busy.get();
    if (free <= 0) return 0;
    Instant now = clock.instant();
    // The lease outlives the call's timeout: a lease that ends means its holder died.
    List<DeliveryIntent> claimed = outbox.claim(owner, now, now.plus(callTimeout).plusSeconds(30), free);
    for (DeliveryIntent i : claimed) start(i);
    return claimed.size();
  }

  private void start(DeliveryIntent intent) {
    AtomicBoolean settled = new AtomicBoolean();
    busy.incrementAndGet();
    unsettled.incrementAndGet();
    Future<?> call = pool.submit(() -> {
      try {
        Optional<String> error = attempt(intent);
        if (settled.compareAndSet(false, true)) finish(intent, error);
      } finally {
        busy.decrementAndGet();
      }
    });
    timer.schedule(() -> {
      if (settled.compareAndSet(false, true)) {
        call.cancel(true);
        finish(intent, Optional.of("no answer within " + callTimeout.toSeconds() + " s"));
      }
    }, callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One call of the adapter; the error that stopped it, if any. */
  private Optional<String> attempt(DeliveryIntent i) {
    SiteRelease release;
    try {
      Optional<SiteRelease> found = release(i);
      if (found.isEmpty()) return Optional.of("no desired state of " + i.app() + "@" + i.revision() + " for site " + i.site());
      release = found.get();
    } catch (StoreException | GitSyncException | FleetValidationException | RenderException e) {
      return Optional.of("cannot prepare " + i.app() + "@" + i.revision() + " for site " + i.site() + ": " + e.getMessage());
    }
    try {
      delivery.deliver(release);
      return Optional.empty();
    } catch (DeliveryException e) {
      markUnreachable(i, e.reason());
      return Optional.of(e.getMessage());
    } catch (RuntimeException e) {
      return Optional.of("delivery of " + i.app() + "@" + i.revision() + " to site " + i.site() + " failed: " + e);
    }
  }

  private void markUnreachable(DeliveryIntent i, String why) {
    try {
      reports.unreachable(i.site(), i.app(), clock.instant(), why);
    } catch (StoreException e) {
      LOG.warn("delivery {}: could not record site {} as unreachable: {}", i.idempotencyKey(), i.site(), e.getMessage());
    }
  }

  private void finish(DeliveryIntent i, Optional<String> error) {
    try {
      Instant now = clock.instant();
      if (error.isEmpty()) {
        if (outbox.done(i, now)) delivered.incrementAndGet();
      } else {
        Instant next = now.plus(backoff.after(i.attempts(), random));
        failed.incrementAndGet();
        LOG.warn("delivery {}: attempt {} failed, next at {}: {}", i.idempotencyKey(), i.attempts(), next, error.get());
        outbox.retry(i, next, error.get(), now);
      }
    } catch (StoreException e) {
      // The lease runs out and the intent is taken again: nothing is lost, the adapter is called once more.
      LOG.warn("delivery {}: outcome not recorded ({}); it is carried out again when its lease ends", i.idempotencyKey(), e.getMessage());
    } finally {
      unsettled.decrementAndGet();
    }
  }

  /**
   * Dispatches until nothing is due now and every started attempt has settled, or {@code timeout}
   * passed: how tests, the demo and the benchmark let deliveries happen between two passes.
   */
  public void drain(Duration timeout) throws StoreException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      int started = dispatch();
      if (started == 0 && unsettled.get() == 0) {
        // Nothing started and nothing running: done, unless a claim was missed because every thread was busy.
        if (dispatch() == 0 && unsettled.get() == 0) return;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Deliveries carried out, and failed attempts, since start. */
  public long delivered() {
    return delivered.get();
  }

  public long failedAttempts() {
    return failed.get();
  }

  public int threads() {
    return threads;
  }

  private Optional<SiteRelease> release(DeliveryIntent i)
      throws StoreException, GitSyncException, FleetValidationException, RenderException {
    Optional<Site> site = catalog.site(i.revision(), i.site());
    if (site.isEmpty()) {
      // A site that joined the fleet after the release's revision: declared in the followed revision.
      Optional<String> now = followed.get();
      if (now.isPresent()) site = catalog.site(now.get(), i.site());
    }
    if (site.isEmpty()) return Optional.empty();
    Site target = site.get();
    Optional<DesiredState> desired = catalog.desiredState(i.app(), i.revision(), target);
    return desired.map(d -> new SiteRelease(target, i.app(), i.revision(), i.rolloutId(), d));
  }

  @Override
  public void close() {
    pool.shutdownNow();
    timer.shutdownNow();
  }
}
