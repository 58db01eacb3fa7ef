package dev.flotilla.delivery;

import static dev.flotilla.delivery.Releases.pullSite;
import static dev.flotilla.delivery.Releases.pushSite;
import static dev.flotilla.delivery.Releases.release;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.flotilla.fleet.Site;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulatedDeliveryTest {
  private static final Instant START = Instant.parse("2025-03-01T10:00:00Z");
  private static final Duration APPLY = Duration.ofMillis(100);
  private static final Duration READY = Duration.ofMillis(300);

  private final SteppedClock clock = new SteppedClock(START);
  private final Site store = pushSite("store-0001");
  private final Site gateway = pullSite("gw-0001");
  private SimulatedDelivery sim;

  @BeforeEach
  void start() throws IOException {
    sim = SimulatedDelivery.builder(clock)
        .applyDelay(Delay.fixed(APPLY))
        .readyDelay(Delay.fixed(READY))
        .build();
  }

  @AfterEach
  void stop() throws IOException {
    sim.close();
  }

  private void after(Duration d) {
    clock.advance(d);
    sim.tick();
  }

  @Test
  void deliveredReleaseIsAppliedAfterTheDelayThenReportsProgressingThenHealthy() throws Exception {
    sim.deliver(release(store, "pos", "r1"));

    after(APPLY.minusMillis(1));
    assertThat(sim.status("store-0001", "pos")).isEmpty();

    after(Duration.ofMillis(1));
    SiteReport applied = sim.status("store-0001", "pos").orElseThrow();
    assertThat(applied.revision()).isEqualTo("r1");
    assertThat(applied.health()).isEqualTo(Health.PROGRESSING);
    assertThat(applied.online()).isTrue();
    assertThat(applied.observedAt()).isEqualTo(START.plus(APPLY));

    after(READY);
    SiteReport ready = sim.status("store-0001", "pos").orElseThrow();
    assertThat(ready.health()).isEqualTo(Health.HEALTHY);
    assertThat(ready.observedAt()).isEqualTo(START.plus(APPLY).plus(READY));
    assertThat(sim.history()).containsExactly(
        new AppliedRelease("store-0001", "pos", "r1", "rollout-pos-r1", START.plus(APPLY), Health.PROGRESSING));
  }

  @Test
  void applyAndReportAreStampedWithTheirDueTimeNotTheTickTime() throws Exception {
    sim.deliver(release(store, "pos", "r1"));

    after(Duration.ofSeconds(10));

    assertThat(sim.history().get(0).at()).isEqualTo(START.plus(APPLY));
    assertThat(sim.status("store-0001", "pos").orElseThrow())
        .extracting(SiteReport::health, SiteReport::observedAt)
        .containsExactly(Health.HEALTHY, START.plus(APPLY).plus(READY));
  }

  @Test
  void deliveringTheSameReleaseTwiceChangesNothing() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));
    SiteReport before = sim.status("store-0001", "pos").orElseThrow();

    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));

    assertThat(sim.status("store-0001", "pos")).contains(before);
    assertThat(sim.history()).hasSize(1);
    assertThat(sim.counters()).isEqualTo(new SimulationCounters(1, 1, 0, 1, 0));
  }

  @Test
  void deliveringAgainBeforeTheApplyDoesNotPostponeIt() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    clock.advance(Duration.ofMillis(60));
    sim.deliver(release(store, "pos", "r1"));

    after(Duration.ofMillis(40));

    assertThat(sim.runningRevision("store-0001", "pos")).contains("r1");
    assertThat(sim.history()).hasSize(1);
  }

  @Test
  void newerReleaseGivenBeforeTheApplyReplacesTheOlderOne() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    clock.advance(Duration.ofMillis(50));
    sim.deliver(release(store, "pos", "r2"));

    after(APPLY.plus(READY));

    assertThat(sim.history()).extracting(AppliedRelease::revision).containsExactly("r2");
    assertThat(sim.status("store-0001", "pos").orElseThrow().revision()).isEqualTo("r2");
  }

  @Test
  void deliveringTheRunningRevisionAgainCancelsANewerOneNotYetApplied() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY);
    sim.deliver(release(store, "pos", "r2"));

    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));

    assertThat(sim.history()).extracting(AppliedRelease::revision).containsExactly("r1");
  }

  @Test
  void releaseWhoseManifestsContainTheCommandedImageTagFails() throws Exception {
    sim.failReleasesContaining("pos-server:4.13.0-bad");
    sim.deliver(release(store, "pos", "r2", "registry.example/pos-server:4.13.0-bad"));
    sim.deliver(release(pushSite("store-0002"), "pos", "r2", "registry.example/pos-server:4.13.0"));

    after(APPLY.plus(READY));

    SiteReport failed = sim.status("store-0001", "pos").orElseThrow();
    assertThat(failed.revision()).isEqualTo("r2");
    assertThat(failed.health()).isEqualTo(Health.FAILED);
    assertThat(failed.message()).contains("Deployment/shop/pos", "pos-server:4.13.0-bad");
    assertThat(sim.status("store-0002", "pos").orElseThrow().health()).isEqualTo(Health.HEALTHY);
    assertThat(sim.counters().failedApplies()).isEqualTo(1);
  }

  @Test
  void failedApplyStaysFailedAndIsNotRetriedByRedelivery() throws Exception {
    sim.failRevisionAt("store-0001", "r2");
    sim.deliver(release(store, "pos", "r2"));
    after(APPLY);
    sim.clearFailureRules();

    sim.deliver(release(store, "pos", "r2"));
    after(APPLY.plus(READY));

    assertThat(sim.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.FAILED);
    assertThat(sim.history()).hasSize(1);
  }

  @Test
  void revisionFailsOnlyAtTheCommandedSite() throws Exception {
    sim.failRevisionAt("store-0001", "r2");
    Site other = pushSite("store-0002");
    sim.deliver(release(store, "pos", "r2"));
    sim.deliver(release(other, "pos", "r2"));
    sim.deliver(release(store, "pay", "r3"));

    after(APPLY.plus(READY));

    assertThat(sim.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.FAILED);
    assertThat(sim.status("store-0001", "pos").orElseThrow().message()).contains("r2", "store-0001");
    assertThat(sim.status("store-0002", "pos").orElseThrow().health()).isEqualTo(Health.HEALTHY);
    assertThat(sim.status("store-0001", "pay").orElseThrow())
        .extracting(SiteReport::revision, SiteReport::health)
        .containsExactly("r3", Health.HEALTHY);
  }

  @Test
  void rollbackAfterAFailedApplyBringsTheSiteBackToTheGoodRevision() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));
    sim.failRevisionAt("store-0001", "r2");
    sim.deliver(release(store, "pos", "r2"));
    after(APPLY);

    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));

    assertThat(sim.history()).extracting(AppliedRelease::revision, AppliedRelease::health).containsExactly(
        tuple("r1", Health.PROGRESSING),
        tuple("r2", Health.FAILED),
        tuple("r1", Health.PROGRESSING));
    assertThat(sim.status("store-0001", "pos").orElseThrow())
        .extracting(SiteReport::revision, SiteReport::health)
        .containsExactly("r1", Health.HEALTHY);
  }

  @Test
  void healthFlipsToDegradedAndBackOnCommand() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));

    clock.advance(Duration.ofSeconds(5));
    sim.setHealth("store-0001", "pos", Health.DEGRADED);
    SiteReport degraded = sim.status("store-0001", "pos").orElseThrow();
    sim.setHealth("store-0001", "pos", Health.HEALTHY);

    assertThat(degraded.health()).isEqualTo(Health.DEGRADED);
    assertThat(degraded.revision()).isEqualTo("r1");
    assertThat(degraded.observedAt()).isEqualTo(clock.instant());
    assertThat(sim.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void degradingASiteThatIsStillProgressingCancelsItsReadiness() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY);

    sim.setHealth("store-0001", "pos", Health.DEGRADED);
    after(READY);

    assertThat(sim.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.DEGRADED);
  }

  @Test
  void healthOfAnAppTheSiteDoesNotRunCannotBeSet() {
    assertThatThrownBy(() -> sim.setHealth("store-0001", "pos", Health.DEGRADED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("store-0001")
        .hasMessageContaining("pos");
  }

  @Test
  void deliveringToAnOfflinePushSiteThrowsNamingTheSite() {
    sim.goOffline("store-0001");

    assertThatThrownBy(() -> sim.deliver(release(store, "pos", "r1")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> {
          assertThat(e.site()).isEqualTo("store-0001");
          assertThat(e.app()).isEqualTo("pos");
          assertThat(e.revision()).isEqualTo("r1");
        })
        .hasMessage("delivery of pos@r1 to site store-0001 failed: site unreachable (push site store-0001 is offline)");
    assertThat(sim.counters().unreachable()).isEqualTo(1);
  }

  @Test
  void offlineSiteIsReportedOfflineWithWhatItLastReported() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY.plus(READY));
    clock.advance(Duration.ofMinutes(1));
    Instant wentOffline = clock.instant();

    sim.goOffline("store-0001");
    clock.advance(Duration.ofMinutes(1));

    SiteReport report = sim.status("store-0001", "pos").orElseThrow();
    assertThat(report.online()).isFalse();
    assertThat(report.revision()).isEqualTo("r1");
    assertThat(report.health()).isEqualTo(Health.HEALTHY);
    assertThat(report.observedAt()).isEqualTo(wentOffline);
    assertThat(report.message()).contains("offline since " + wentOffline);
  }

  @Test
  void offlineSiteThatNeverReportedIsReportedOfflineWithNoRevision() {
    sim.goOffline("gw-0001");

    assertThat(sim.status("gw-0001", "pos").orElseThrow())
        .extracting(SiteReport::revision, SiteReport::health, SiteReport::online)
        .containsExactly(null, Health.UNKNOWN, false);
    assertThat(sim.statuses("pos")).isEmpty();
  }

  @Test
  void offlinePullSiteTakesTheReleaseButAppliesAndReportsNothing() throws Exception {
    sim.deliver(release(gateway, "pos", "r1"));
    after(APPLY.plus(READY));
    sim.goOffline("gw-0001");

    sim.deliver(release(gateway, "pos", "r2"));
    after(Duration.ofHours(1));

    assertThat(sim.runningRevision("gw-0001", "pos")).contains("r1");
    assertThat(sim.status("gw-0001", "pos").orElseThrow())
        .extracting(SiteReport::revision, SiteReport::online)
        .containsExactly("r1", false);
    assertThat(sim.counters().deliveries()).isEqualTo(2);
  }

  @Test
  void reconnectingPullSiteAppliesOnlyTheNewestReleasePerAppInOneStep() throws Exception {
    sim.deliver(release(gateway, "pos", "r1"));
    sim.deliver(release(gateway, "pay", "p1"));
    after(APPLY.plus(READY));
    sim.goOffline("gw-0001");
    for (String revision : List.of("r2", "r3", "r4")) {
      sim.deliver(release(gateway, "pos", revision));
      clock.advance(Duration.ofMinutes(10));
    }
    sim.deliver(release(gateway, "pay", "p2"));
    clock.advance(Duration.ofMinutes(10));

    sim.goOnline("gw-0001");
    Instant back = clock.instant();
    SiteReport onReconnect = sim.status("gw-0001", "pos").orElseThrow();
    after(APPLY.plus(READY));

    assertThat(onReconnect).extracting(SiteReport::revision, SiteReport::online, SiteReport::observedAt)
        .containsExactly("r1", true, back);
    assertThat(sim.history()).filteredOn(a -> a.at().isAfter(back))
        .extracting(AppliedRelease::app, AppliedRelease::revision, AppliedRelease::at)
        .containsExactlyInAnyOrder(
            tuple("pos", "r4", back.plus(APPLY)),
            tuple("pay", "p2", back.plus(APPLY)));
    assertThat(sim.status("gw-0001", "pos").orElseThrow())
        .extracting(SiteReport::revision, SiteReport::health)
        .containsExactly("r4", Health.HEALTHY);
  }

  @Test
  void pushSiteThatWentOfflineBeforeItsApplyAppliesWhenItComesBack() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    sim.goOffline("store-0001");
    after(APPLY.plus(READY));
    assertThat(sim.runningRevision("store-0001", "pos")).isEmpty();

    sim.goOnline("store-0001");
    after(APPLY);

    assertThat(sim.status("store-0001", "pos").orElseThrow().revision()).isEqualTo("r1");
  }

  @Test
  void siteThatWentOfflineWhileProgressingBecomesReadyAfterItReconnects() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    after(APPLY);
    sim.goOffline("store-0001");
    after(READY);

    sim.goOnline("store-0001");
    assertThat(sim.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.PROGRESSING);
    after(READY);

    assertThat(sim.status("store-0001", "pos").orElseThrow().health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void siteOwnApplyDelayOverridesTheDefault() throws Exception {
    sim.applyDelay("gw-0001", Delay.fixed(Duration.ofSeconds(5)));
    sim.deliver(release(store, "pos", "r1"));
    sim.deliver(release(gateway, "pos", "r1"));

    after(APPLY);

    assertThat(sim.runningRevision("store-0001", "pos")).contains("r1");
    assertThat(sim.runningRevision("gw-0001", "pos")).isEmpty();
    after(Duration.ofSeconds(5));
    assertThat(sim.runningRevision("gw-0001", "pos")).contains("r1");
  }

  @Test
  void statusesListsTheReportOfEverySiteForTheApp() throws Exception {
    sim.deliver(release(store, "pos", "r1"));
    sim.deliver(release(gateway, "pos", "r1"));
    sim.deliver(release(store, "pay", "p1"));
    after(APPLY);

    assertThat(sim.statuses("pos")).extracting(SiteReport::site)
        .containsExactlyInAnyOrder("store-0001", "gw-0001");
  }

  @Test
  void releaseWithTheDesiredStateOfAnotherSiteIsRejected() {
    SiteRelease forOther = release(pushSite("store-0002"), "pos", "r1");

    assertThatThrownBy(() -> new SiteRelease(store, "pos", "r1", "rollout-1", forOther.desired()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("store-0001")
        .hasMessageContaining("store-0002");
  }

  @Test
  void manySitesDeliveredFromSeveralThreadsAreAllAppliedByOneTick() throws Exception {
    int sites = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        done.add(pool.submit(() -> {
          for (int i = first; i < sites; i += 4) {
            Site site = i % 2 == 0 ? pushSite("site-" + i) : pullSite("site-" + i);
            sim.deliver(release(site, "pos", "r1"));
            sim.deliver(release(site, "pos", "r1"));
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdown();
    }

    after(APPLY.plus(READY));

    assertThat(sim.counters()).isEqualTo(new SimulationCounters(sites, sites, 0, sites, 0));
    assertThat(sim.statuses("pos")).hasSize(sites).allMatch(r -> r.health() == Health.HEALTHY);
    assertThat(sim.scheduledEvents()).isZero();
  }
}
