package dev.flotilla.engine;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.fleet.App;
import dev.flotilla.fleet.ApplyOptions;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.fleet.Site;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.RenderException;
import dev.flotilla.engine.port.DeliveryIntent;
import dev.flotilla.engine.port.Outbox;
import dev.flotilla.engine.port.SiteReportStore;
import dev.flotilla.engine.port.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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

  private final Outbox outbox;
  private final Delivery delivery;
  private final RevisionCatalog catalog;
  private final RolloutEngine.FollowedRevision followed;
  private final SiteReportStore reports;
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
  private final java.util.concurrent.ConcurrentLinkedQueue<Outbox.Outcome> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();

  public DeliveryWorkers(Outbox outbox, Delivery delivery, RevisionCatalog catalog, RolloutEngine.FollowedRevision followed,
      SiteReportStore reports, Clock clock, RandomGenerator random, Backoff backoff, Duration callTimeout, int threads) {
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

  /**
   * How long a lease outlives the call's timeout, so that a lease that ends means its holder died:
   * time to record the outcome. Up to 30 s, but never longer than the timeout itself, so a replica
   * configured for short calls also takes over a dead replica's intents soon.
   */
  static Duration leaseSlack(Duration callTimeout) {
    return callTimeout.compareTo(Duration.ofSeconds(30)) < 0 ? callTimeout : Duration.ofSeconds(30);
  }

  /**
   * Records the outcomes of finished attempts (in one transaction), then claims as many due intents
   * as there are idle threads and starts them; returns how many it started.
   */
  public synchronized int dispatch() throws StoreException {
    flush();
    int free = threads - busy.get();
    if (free <= 0) return 0;
    Instant now = clock.instant();
    List<DeliveryIntent> claimed = outbox.claim(owner, now, now.plus(leaseSlack(callTimeout)).plus(callTimeout), free);
    for (DeliveryIntent i : claimed) start(i);
    return claimed.size();
  }

  private void start(DeliveryIntent intent) {
    busy.incrementAndGet();
    unsettled.incrementAndGet();
    pool.submit(() -> {
      try {
        attempt(intent);
      } finally {
        busy.decrementAndGet();
      }
    });
  }

  /**
   * One attempt: the release is prepared (the desired state rendered, or taken from the cache),
   * then the adapter is called under the call timeout. Preparing is the engine's own work and is
   * not timed: cut off at the adapter's timeout, a render that takes longer than it (a cold cache
   * on a replica that has not rendered the revision yet) would start over on every attempt and
   * the site would never be delivered.
   */
  private void attempt(DeliveryIntent i) {
    SiteRelease release;
    try {
      Optional<SiteRelease> found = release(i);
      if (found.isEmpty()) {
        finish(i, Optional.of("no desired state of " + i.app() + "@" + i.revision() + " for site " + i.site()));
        return;
      }
      release = found.get();
    } catch (StoreException | GitSyncException | FleetValidationException | RenderException | RuntimeException e) {
      // Anything that stops the preparation is this attempt's outcome: an attempt never ends unrecorded.
      finish(i, Optional.of("cannot prepare " + i.app() + "@" + i.revision() + " for site " + i.site() + ": " + e));
      return;
    }
    Call call = new Call(Thread.currentThread());
    timer.schedule(() -> {
      if (call.settled.compareAndSet(false, true)) {
        call.interrupt();
        // A site that does not answer is unreachable as much as one that refuses the connection.
        String why = "no answer within " + dev.flotilla.fleet.Durations.format(callTimeout);
        markUnreachable(i, why);
        finish(i, Optional.of("delivery of " + i.app() + "@" + i.revision() + " to site " + i.site() + ": " + why));
      }
    }, callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    Optional<String> error;
    try {
      delivery.deliver(release);
      error = Optional.empty();
    } catch (DeliveryException e) {
      if (!e.retryable()) {
        // The site answered and refused: it is not unreachable, and the same release would be refused again.
        if (call.settled.compareAndSet(false, true)) refused(i, e.getMessage());
        return; // the finally below ends the call
      }
      if (!call.settled.get()) markUnreachable(i, e.reason());
      error = Optional.of(e.getMessage());
    } catch (RuntimeException e) {
      error = Optional.of("delivery of " + i.app() + "@" + i.revision() + " to site " + i.site() + " failed: " + e);
    } finally {
      call.returned();
    }
    if (call.settled.compareAndSet(false, true)) finish(i, error);
  }

  /**
   * An adapter call in progress, which its timeout may interrupt: only while the call runs, so an
   * interrupt never reaches the pool thread's next task.
   */
  private static final class Call {
    final AtomicBoolean settled = new AtomicBoolean();
    private Thread caller;

    Call(Thread caller) {
      this.caller = caller;
    }

    synchronized void interrupt() {
      if (caller != null) caller.interrupt();
    }

    synchronized void returned() {
      caller = null;
      Thread.interrupted(); // an interrupt from the timeout that came as the call returned
    }
  }

  private void markUnreachable(DeliveryIntent i, String why) {
    try {
      reports.unreachable(i.site(), i.app(), clock.instant(), why);
    } catch (StoreException e) {
      LOG.warn("delivery {}: could not record site {} as unreachable: {}", i.idempotencyKey(), i.site(), e.getMessage());
    }
  }

  /** Queues a refusal: the intent ends failed with the site's words, and is not tried again. */
  private void refused(DeliveryIntent i, String error) {
    failed.incrementAndGet();
    LOG.warn("delivery {}: refused by the site, not retried: {}", i.idempotencyKey(), error);
    outcomes.add(new Outbox.Outcome(i, error, null));
    unsettled.decrementAndGet();
  }

  /** Queues the attempt's outcome; {@link #flush} records a whole batch of them in one transaction. */
  private void finish(DeliveryIntent i, Optional<String> error) {
    Instant now = clock.instant();
    if (error.isEmpty()) {
      outcomes.add(new Outbox.Outcome(i, null, null));
    } else {
      Instant next = now.plus(backoff.after(i.attempts(), random));
      failed.incrementAndGet();
      LOG.warn("delivery {}: attempt {} failed, next at {}: {}", i.idempotencyKey(), i.attempts(), next, error.get());
      outcomes.add(new Outbox.Outcome(i, error.get(), next));
    }
    unsettled.decrementAndGet();
  }

  /**
   * Records every queued outcome. If that fails, the outcomes are dropped: their leases run out and
   * the intents are taken again, so nothing is lost and the adapter is called once more.
   */
  private void flush() {
    List<Outbox.Outcome> batch = new java.util.ArrayList<>();
    for (Outbox.Outcome o; (o = outcomes.poll()) != null; ) batch.add(o);
    if (batch.isEmpty()) return;
    try {
      delivered.addAndGet(outbox.finish(batch, clock.instant()));
    } catch (StoreException e) {
      LOG.warn("delivery: {} outcomes not recorded ({}); carried out again when their leases end", batch.size(), e.getMessage());
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
        // Nothing started and nothing running: done once the last outcomes are recorded and nothing more is due.
        if (dispatch() == 0 && unsettled.get() == 0 && outcomes.isEmpty()) return;
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
    ApplyOptions apply = catalog.model(i.revision()).applyOptions(i.app());
    return desired.map(d -> new SiteRelease(target, i.app(), i.revision(), i.rolloutId(), d, apply));
  }

  @Override
  public void close() {
    pool.shutdownNow();
    timer.shutdownNow();
    flush();
  }
}
