package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.AppliedRelease;
import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.OutboxRows;
import dev.flotilla.testing.OutboxRows.Intent;
import dev.flotilla.testing.SmallFleet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery adapters that fail, time out or hang, behind the real engine (a Git repo, kustomize,
 * embedded H2, the outbox and its workers): the intent is retried with growing backoff, the site is
 * shown unreachable meanwhile, and the scheduling pass never waits for the adapter. The engine's
 * clock is a test clock, so backoff is stepped over, not slept; the call timeout is real time (300 ms).
 */
class DeliveryFaultsIT {
  static final Duration CALL_TIMEOUT = Duration.ofMillis(300);
  static final DeliveryWorkers.Backoff BACKOFF = new DeliveryWorkers.Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5));
  static final Duration PASS_BOUND = Duration.ofSeconds(1);

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock;
  SimulatedDelivery sites;
  FaultyDelivery faults;
  Engine engine;

  @BeforeEach
  void fleetAndSites() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    faults = new FaultyDelivery(sites, "hub-1");
  }

  /** Starts the engine once the test has set its faults: its first pass (a Quartz firing at start) may deliver at once. */
  void startEngine() throws Exception {
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock)
        .withDeliveryTiming(CALL_TIMEOUT, BACKOFF);
    engine = Engine.start(config, faults, new CiStatuses.Recorded(CiStatus.PASSED));
  }

  @AfterEach
  void stop() throws Exception {
    faults.release.countDown(); // a call that hangs returns now
    if (engine != null) engine.close();
    sites.close();
    git.close();
  }

  @Test
  void aDeliveryThatFailsIsRetriedWithGrowingBackoffWhileTheSiteShowsUnreachable() throws Exception {
    faults.failures.set(3);
    startEngine();
    engine.step(); // the canary's intent is decided and its first attempt fails

    List<Duration> waits = new ArrayList<>();
    for (int attempt = 1; attempt <= 3; attempt++) {
      Intent i = intent("hub-1");
      assertThat(i.state()).as("after failed attempt %d: %s", attempt, i).isEqualTo("PENDING");
      assertThat(i.attempts()).as(i.toString()).isEqualTo(attempt);
      assertThat(i.lastError()).as(i.toString()).contains("connection refused");
      assertThat(unreachable("hub-1")).as("site_reports of hub-1 after attempt %d", attempt).hasValueSatisfying(
          why -> assertThat(why).contains("connection refused"));
      waits.add(Duration.between(i.updatedAt(), i.nextAttemptAt()));

      // Not called again before its time.
      int calls = faults.calls.get();
      engine.workers().drain(Duration.ofSeconds(5));
      assertThat(faults.calls.get()).as("calls before the retry is due").isEqualTo(calls);

      clock.set(i.nextAttemptAt());
      engine.workers().drain(Duration.ofSeconds(5));
      assertThat(faults.calls.get()).as("calls once the retry is due").isEqualTo(calls + 1);
    }

    System.out.println("DeliveryFaultsIT: waits before retries " + waits);
    assertThat(waits.get(0)).isBetween(BACKOFF.base().dividedBy(2), BACKOFF.base());
    for (int k = 1; k < waits.size(); k++) assertThat(waits.get(k)).as("wait %d of %s", k, waits).isGreaterThanOrEqualTo(waits.get(k - 1));
    assertThat(waits.get(2)).as("waits %s", waits).isGreaterThan(waits.get(0));
    Intent done = intent("hub-1");
    assertThat(done.state()).as(done.toString()).isEqualTo("DONE");
    assertThat(done.attempts()).isEqualTo(4);

    RolloutView completed = runUntil(r -> r.state().equals("COMPLETED"));
    assertThat(completed.waves()).extracting(RolloutView.WaveView::failed).containsOnly(0);
    assertThat(unreachable("hub-1")).as("unreachable mark once hub-1 reported").isEmpty();
    assertThat(sites.history()).filteredOn(a -> a.site().equals("hub-1")).hasSize(1);
  }

  @Test
  void aDeliveryThatTakesLongerThanTheCallTimeoutIsAbandonedRetriedAndAppliedOnce() throws Exception {
    faults.slowFirstCall = Duration.ofSeconds(2);
    startEngine();
    long started = System.nanoTime();
    engine.step(); // the first attempt is abandoned after the call timeout, while the adapter still sleeps
    Duration stepTook = Duration.ofNanos(System.nanoTime() - started);

    Intent i = intent("hub-1");
    assertThat(faults.inside.get()).as("the slow call still runs").isEqualTo(1);
    assertThat(stepTook).as("a step does not wait for the slow call").isLessThan(Duration.ofMillis(1_800));
    assertThat(i.state()).as(i.toString()).isEqualTo("PENDING");
    assertThat(i.attempts()).isEqualTo(1);
    assertThat(i.lastError()).as(i.toString()).contains("no answer within 300ms");
    assertThat(Duration.between(i.updatedAt(), i.nextAttemptAt())).isBetween(BACKOFF.base().dividedBy(2), BACKOFF.base());
    assertThat(unreachable("hub-1")).as("site_reports of hub-1 after the timeout").hasValueSatisfying(
        why -> assertThat(why).contains("no answer within 300ms"));

    clock.set(i.nextAttemptAt());
    engine.workers().drain(Duration.ofSeconds(5));
    assertThat(intent("hub-1").state()).isEqualTo("DONE");
    assertThat(faults.slowCallReturned.await(10, TimeUnit.SECONDS)).as("the slow call returned").isTrue();

    runUntil(r -> r.state().equals("COMPLETED"));
    // The late call and the retry both reached the site; it applied the release once.
    assertThat(faults.calls.get()).isGreaterThanOrEqualTo(2);
    assertThat(sites.history()).filteredOn(a -> a.site().equals("hub-1")).extracting(AppliedRelease::revision).hasSize(1);
    assertThat(sites.counters().duplicateDeliveries()).as("the second hand-over was a duplicate").isGreaterThanOrEqualTo(1);
  }

  @Test
  void aDeliveryThatNeverReturnsHoldsUpNeitherThePassNorTheRollout() throws Exception {
    faults.hangFirstCall = true;
    startEngine();
    engine.step();
    assertThat(faults.hanging.await(10, TimeUnit.SECONDS)).as("the adapter call hangs").isTrue();

    // Every pass, to the end of the rollout, runs while the first call is still blocked.
    List<Duration> passes = new ArrayList<>();
    for (int round = 0; round < 200 && !state().equals("COMPLETED"); round++) {
      clock.advance(Duration.ofSeconds(10));
      sites.tick();
      long t = System.nanoTime();
      engine.rollouts().tick();
      passes.add(Duration.ofNanos(System.nanoTime() - t));
      assertThat(faults.inside.get()).as("the hanging call is still blocked after pass %d", round).isGreaterThanOrEqualTo(1);
      engine.step(); // reports in, another pass, its deliveries carried out
    }
    System.out.println("DeliveryFaultsIT: " + passes.size() + " passes while a call hung, slowest " + passes.stream().max(Duration::compareTo));
    assertThat(state()).isEqualTo("COMPLETED");
    assertThat(passes).allSatisfy(p -> assertThat(p).isLessThan(PASS_BOUND));
    assertThat(faults.release.getCount()).as("the hanging call was never let go").isEqualTo(1);
    Intent i = intent("hub-1");
    assertThat(i.state()).isEqualTo("DONE");
    assertThat(i.attempts()).isEqualTo(2);
    assertThat(i.lastError()).isNull();
  }

  // ---- helpers

  RolloutView runUntil(Predicate<RolloutView> done) throws Exception {
    String id = rolloutId();
    for (int round = 0; round < 200; round++) {
      engine.step();
      sites.tick();
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      clock.advance(Duration.ofSeconds(10));
    }
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  String rolloutId() throws Exception {
    return engine.operations().list().get(0).id();
  }

  String state() throws Exception {
    return engine.operations().get(rolloutId()).state();
  }

  Intent intent(String site) throws Exception {
    List<Intent> all = OutboxRows.read(engine.database().dataSource());
    List<Intent> of = all.stream().filter(i -> i.site().equals(site)).toList();
    assertThat(of).as("intents of %s in %s", site, all).hasSize(1);
    return of.get(0);
  }

  /** Why site_reports shows the site unreachable for web, or empty. */
  Optional<String> unreachable(String site) throws Exception {
    try (Connection c = engine.database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT unreachable FROM site_reports WHERE site = ? AND app = 'web'")) {
      s.setString(1, site);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
      }
    }
  }

  /**
   * The simulated sites behind an adapter that misbehaves at one site: the next calls fail, the
   * first call sleeps (deaf to interrupts, as a stuck socket is), or the first call never returns.
   */
  static final class FaultyDelivery implements Delivery {
    final Delivery sites;
    final String site;
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger inside = new AtomicInteger();
    final CountDownLatch hanging = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch slowCallReturned = new CountDownLatch(1);
    volatile Duration slowFirstCall;
    volatile boolean hangFirstCall;

    FaultyDelivery(Delivery sites, String site) {
      this.sites = sites;
      this.site = site;
    }

    @Override
    public void deliver(SiteRelease release) throws DeliveryException {
      if (!release.site().name().equals(site)) {
        sites.deliver(release);
        return;
      }
      int call = calls.incrementAndGet();
      inside.incrementAndGet();
      try {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new DeliveryException(release, "connection refused (test adapter, call " + call + ")");
        }
        if (call == 1 && slowFirstCall != null) {
          sleepUninterruptibly(slowFirstCall);
          slowCallReturned.countDown();
        }
        if (call == 1 && hangFirstCall) {
          hanging.countDown();
          awaitUninterruptibly(this.release);
          return;
        }
        sites.deliver(release);
      } finally {
        inside.decrementAndGet();
      }
    }

    @Override
    public Optional<SiteReport> status(String site, String app) {
      return sites.status(site, app);
    }

    @Override
    public List<SiteReport> statuses(String app) {
      return sites.statuses(app);
    }

    private static void sleepUninterruptibly(Duration d) {
      long end = System.nanoTime() + d.toNanos();
      boolean interrupted = false;
      while (System.nanoTime() < end) {
        try {
          Thread.sleep(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
      boolean interrupted = false;
      while (true) {
        try {
          latch.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
