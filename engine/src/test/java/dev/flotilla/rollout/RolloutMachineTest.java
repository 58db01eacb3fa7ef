package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Freeze;
import dev.flotilla.fleet.Quantity;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.Window;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutMachineTest {

  static final List<Site> FOUR = List.of(push("a"), push("b"), push("c"), push("d"));

  static RolloutPolicy canaryThenRest(dev.flotilla.fleet.Gates canaryGates) {
    return policy(OnFailure.HALT, wave("canary", names("a"), canaryGates), wave("rest", SiteSelector.ALL));
  }

  @Test
  void firstStepStartsTheFirstWaveAndSendsItsSites() {
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("a");
    assertThat(run.rollout.wave(0).phase()).isEqualTo(WavePhase.UPDATING);
    assertThat(run.eventKinds()).containsExactly("wave-started", "batch-sent");
  }

  @Test
  void siteOfLaterWaveWaitsUntilCanaryGatesPass() {
    Run run = new Run(running(canaryThenRest(approval()), FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    run.after(Duration.ofHours(5)).step();
    assertThat(run.updatedSites()).containsExactly("a");
    assertThat(run.last.waitingOn()).isEqualTo(new Wait.OnGate("canary", Gate.APPROVAL, "waiting for a person to approve"));

    run.rollout = accepted(RolloutCommands.approve(run.rollout, "canary", "alice", "looks good", run.now));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
  }

  @Test
  void steppingTwiceWithTheSameInputsYieldsNoNewActionsOrEvents() {
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    Step again = run.machine.step(run.rollout, run.observations, run.signals, run.time, run.now);
    assertThat(again.quiet()).isTrue();
    assertThat(again.next()).isEqualTo(run.rollout);
  }

  @Test
  void batchesNeverExceedMaxUnavailable() {
    RolloutPolicy p = policy(OnFailure.HALT, wave("all", SiteSelector.ALL, Quantity.count(2), null, 100));
    Run run = new Run(running(p, FOUR));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("a", "b");
    run.after(Duration.ofMinutes(1)).step();
    assertThat(run.lastUpdatedSites()).isEmpty();
    run.done("a", true).step();
    assertThat(run.lastUpdatedSites()).containsExactly("c");
  }

  @Test
  void percentMaxUnavailableRoundsUpToAtLeastOneSite() {
    RolloutPolicy p = policy(OnFailure.HALT, wave("all", SiteSelector.ALL, Quantity.percentOf(10), null, 100));
    Run run = new Run(running(p, FOUR));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("a");
  }

  @Test
  void siteIsDoneOnlyOnAStatusObservedAfterTheUpdateWasSent() {
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.observations.put("a", new SiteObservation("a", "pos", "r2", true, false, T0.minusSeconds(30)));
    run.step();
    assertThat(run.rollout.site("a").status()).isEqualTo(SiteStatus.UPDATING);
    run.after(Duration.ofSeconds(5)).done("a", true).step();
    assertThat(run.rollout.site("a").status()).isEqualTo(SiteStatus.DONE);
  }

  @Test
  void reportOfTheOldRevisionAfterSendingDoesNotCountAsDone() {
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.step();
    run.observations.put("a", new SiteObservation("a", "pos", "r1", true, false, T0.plusSeconds(10)));
    run.after(Duration.ofSeconds(10)).step();
    assertThat(run.rollout.site("a").status()).isEqualTo(SiteStatus.UPDATING);
    assertThat(run.rollout.site("a").lastSeenAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void failuresWithinTheThresholdDoNotHalt() {
    RolloutPolicy p = policy(OnFailure.HALT, wave("all", SiteSelector.ALL, null, Quantity.count(1), 100));
    Run run = new Run(running(p, FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).failed("a").done("b", true).done("c", true).done("d", true).step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void failuresPastACountThresholdHaltTheRollout() {
    RolloutPolicy p = policy(OnFailure.HALT, wave("all", SiteSelector.ALL, null, Quantity.count(1), 100));
    Run run = new Run(running(p, FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).failed("a").failed("b").step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.HALTED);
    assertThat(run.rollout.reason()).contains("2 of 4 sites failed").contains("a, b");
    assertThat(run.rollout.haltedAt()).isEqualTo(run.now);
    run.after(Duration.ofMinutes(1)).step();
    assertThat(run.last.actions()).isEmpty();
  }

  @Test
  void failuresPastAPercentThresholdHaltTheRollout() {
    // 25% of 4 sites allows one failure.
    RolloutPolicy p = policy(OnFailure.HALT, wave("all", SiteSelector.ALL, null, Quantity.percentOf(25), 100));
    Run run = new Run(running(p, FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).failed("a").step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.RUNNING);
    run.after(Duration.ofMinutes(1)).failed("b").step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.HALTED);
  }

  @Test
  void haltWithRollbackStartsARollbackOfExactlyTheSitesThatGotTheRelease() {
    RolloutPolicy p = policy(OnFailure.ROLLBACK,
        wave("canary", names("a", "b"), health()),
        wave("rest", SiteSelector.ALL, Quantity.count(1), null, 100));
    Run run = new Run(running(p, FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).done("b", true).step();
    assertThat(run.lastUpdatedSites()).containsExactly("c");
    run.after(Duration.ofMinutes(1)).failed("c").step();

    assertThat(run.rollout.state()).isEqualTo(RolloutState.HALTED);
    RolloutAction.StartRollback start = (RolloutAction.StartRollback) run.last.actions().get(0);
    Rollout rollback = start.rollback();
    assertThat(rollback.kind()).isEqualTo(RolloutKind.ROLLBACK);
    assertThat(rollback.revision()).isEqualTo("r1");
    assertThat(rollback.state()).isEqualTo(RolloutState.RUNNING);
    assertThat(rollback.plan().siteNames()).containsExactly("a", "b", "c");
    assertThat(rollback.reason()).contains("automatic rollback").contains("1 of 2 sites failed");
    assertThat(run.rollout.rollbackId()).isEqualTo(rollback.id());

    Run back = new Run(rollback);
    back.now = run.now;
    back.step();
    assertThat(back.lastUpdatedSites()).containsExactly("a", "b");
  }

  @Test
  void offlinePullSitesDoNotBlockAWavePastItsCompletionThreshold() {
    List<Site> edge = List.of(pull("e1"), pull("e2"), pull("e3"), pull("e4"), push("z"));
    RolloutPolicy p = policy(OnFailure.HALT,
        wave("edge", tiers("edge"), Quantity.count(1), null, 50),
        wave("rest", SiteSelector.ALL));
    Run run = new Run(running(p, edge));
    run.step(); // e1 sent; e1 stays offline
    run.after(Duration.ofMinutes(1)).step(); // e1 silent: it may stay behind, so e2 is sent
    assertThat(run.updatedSites()).containsExactly("e1", "e2");
    run.after(Duration.ofMinutes(1)).done("e2", true).step();
    run.after(Duration.ofMinutes(1)).done("e3", true).step();
    // Two of four pull sites acknowledged: 50% is reached, the next wave starts.
    assertThat(run.updatedSites()).contains("e4", "z");
    assertThat(run.rollout.site("e1").status()).isEqualTo(SiteStatus.UPDATING);
  }

  @Test
  void reconnectingPullSiteCountsAsDoneWhenItReportsTheRelease() {
    List<Site> edge = List.of(pull("e1"), pull("e2"));
    RolloutPolicy p = policy(OnFailure.HALT, wave("edge", SiteSelector.ALL, null, null, 50));
    Run run = new Run(running(p, edge));
    run.step();
    run.after(Duration.ofMinutes(1)).done("e2", true).step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
    run.after(Duration.ofDays(3)).done("e1", true).step();
    assertThat(run.rollout.site("e1").status()).isEqualTo(SiteStatus.DONE);
    assertThat(run.last.actions()).isEmpty();
  }

  @Test
  void siteAddedToAWaveThatIsDoneIsUpdatedAtOnce() {
    RolloutPolicy p = canaryThenRest(approval());
    Run run = new Run(running(p, FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    assertThat(run.rollout.wave(0).phase()).isEqualTo(WavePhase.GATED);

    Step joined = run.machine.retarget(run.rollout, List.of(push("a"), push("a2"), push("b"), push("c"), push("d")), run.now);
    assertThat(joined.events()).extracting(AuditEvent::kind).containsExactly("site-joined");
    // "a2" is selected by no name of canary: it joins "rest", which has not started.
    assertThat(joined.next().plan().waveIndex("a2")).isEqualTo(1);

    RolloutPolicy byTier = policy(OnFailure.HALT, wave("dcs", tiers("dc"), approval()), wave("rest", SiteSelector.ALL));
    Run run2 = new Run(running(byTier, FOUR));
    run2.step();
    run2.after(Duration.ofMinutes(1)).allSentReport().step();
    run2.rollout = run2.machine.retarget(run2.rollout, List.of(push("a"), push("b"), push("c"), push("d"), push("e")), run2.now).next();
    run2.step();
    assertThat(run2.lastUpdatedSites()).containsExactly("e");
    assertThat(run2.rollout.wave(0).phase()).isEqualTo(WavePhase.GATED);
  }

  @Test
  void siteRemovedFromTheFleetIsDroppedWithAnAuditEvent() {
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.step();
    Step removed = run.machine.retarget(run.rollout, List.of(push("b"), push("c"), push("d")), run.now);
    assertThat(removed.next().plan().siteNames()).containsExactly("b", "c", "d");
    assertThat(removed.next().sites()).doesNotContainKey("a");
    assertThat(removed.events()).singleElement().satisfies(e -> {
      assertThat(e.kind()).isEqualTo("site-removed");
      assertThat(e.message()).contains("site a").contains("wave canary");
    });
    // The canary wave is now empty: the rollout goes on.
    run.rollout = removed.next();
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
  }

  @Test
  void retargetingTwiceChangesNothingMore() {
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    List<Site> targets = List.of(push("b"), push("c"), push("d"), push("e"));
    Step once = run.machine.retarget(run.rollout, targets, run.now);
    Step twice = run.machine.retarget(once.next(), targets, run.now);
    assertThat(twice.events()).isEmpty();
    assertThat(twice.next()).isEqualTo(once.next());
  }

  @Test
  void freezeBlocksUpdatesAndPromotion() {
    Freeze peak = new Freeze("peak", T0.plusSeconds(60), T0.plus(Duration.ofDays(1)), "Black Friday");
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.time = new FleetTime(Map.of(), List.of(peak));
    run.step();
    run.after(Duration.ofMinutes(5)).done("a", true).step();
    assertThat(run.updatedSites()).containsExactly("a");
    assertThat(run.rollout.wave(0).phase()).isEqualTo(WavePhase.GATED);
    assertThat(run.last.waitingOn()).isEqualTo(new Wait.OnFreeze("peak", peak.end()));
    run.now = peak.end();
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
  }

  @Test
  void freezeBeforeTheStartKeepsTheFirstWaveFromStarting() {
    Freeze peak = new Freeze("peak", T0.minusSeconds(60), T0.plus(Duration.ofDays(1)), "Black Friday");
    Run run = new Run(running(canaryThenRest(health()), FOUR));
    run.time = new FleetTime(Map.of(), List.of(peak));
    run.step();
    assertThat(run.actions).isEmpty();
    assertThat(run.rollout.wave(0).phase()).isEqualTo(WavePhase.PENDING);
  }

  @Test
  void scheduledPromoteNowSkipsTheGatesOfTheCurrentWave() {
    Run run = new Run(running(canaryThenRest(approval()), FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    run.rollout = accepted(RolloutCommands.promoteNow(run.rollout, "scheduler:night-promotion", "", run.now));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
    assertThat(run.rollout.wave(0).promotedBy()).isEqualTo("scheduler:night-promotion");
    assertThat(run.events).filteredOn(e -> e.kind().equals("wave-promoted"))
        .singleElement().extracting(AuditEvent::actor).isEqualTo("scheduler:night-promotion");
  }

  @Test
  void promoteNowWhileTheWaveUpdatesPromotesOnceItsSitesAreDone() {
    Run run = new Run(running(canaryThenRest(approval()), FOUR));
    run.step();
    run.rollout = accepted(RolloutCommands.promoteNow(run.rollout, "bob", "hotfix", run.now));
    run.after(Duration.ofMinutes(1)).step();
    assertThat(run.lastUpdatedSites()).isEmpty();
    run.done("a", true).step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
  }

  @Test
  void siteOfAWindowedWaveIsUpdatedOnlyInsideItsOwnWindow() {
    Window night = new Window("night", "0 0 2 ? * *", Duration.ofHours(3));
    List<Site> sites = List.of(in(pull("paris"), "Europe/Paris"), in(pull("nyc"), "America/New_York"));
    RolloutPolicy p = policy(OnFailure.HALT, wave("stores", SiteSelector.ALL, window("night")));
    Run run = new Run(running("pos-r2", "r2", "r1", plan(p, sites), T0));
    run.time = new FleetTime(Map.of("night", night), List.of());
    run.now = Instant.parse("2026-05-05T00:30:00Z"); // 02:30 in Paris, 20:30 in New York
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("paris");
    run.after(Duration.ofMinutes(5)).done("paris", true).step();
    assertThat(run.last.waitingOn()).isEqualTo(new Wait.OnWindow("stores", "night", Instant.parse("2026-05-05T06:00:00Z")));
    run.now = Instant.parse("2026-05-05T06:00:00Z");
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("nyc");
    run.after(Duration.ofMinutes(5)).done("nyc", true).step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void soakRestartsWhenASiteOfTheWaveTurnsUnhealthy() {
    Run run = new Run(running(canaryThenRest(soak(Duration.ofMinutes(10))), FOUR));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    Instant healthy = run.now;
    run.after(Duration.ofMinutes(8)).done("a", false).step();
    assertThat(run.rollout.wave(0).healthySince()).isNull();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    assertThat(run.rollout.wave(0).healthySince()).isAfter(healthy);
    run.after(Duration.ofMinutes(9)).step();
    assertThat(run.updatedSites()).containsExactly("a");
    run.after(Duration.ofMinutes(1)).step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
  }

  @Test
  void soakInAWindowAccruesOnlyWhileTheWindowIsOpen() {
    Window night = new Window("night", "0 0 2 ? * *", Duration.ofHours(1));
    List<Site> sites = List.of(push("a"), push("b"));
    RolloutPolicy p = policy(OnFailure.HALT, wave("canary", names("a"), soakInWindow(Duration.ofMinutes(90), "night")), wave("rest", SiteSelector.ALL));
    Run run = new Run(running(p, sites));
    run.time = new FleetTime(Map.of("night", night), List.of());
    run.now = Instant.parse("2026-05-04T02:00:00Z");
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step(); // healthy from 02:01 UTC
    run.now = Instant.parse("2026-05-05T01:59:00Z"); // 59 minutes of open window so far
    run.step();
    assertThat(run.last.waitingOn()).isInstanceOf(Wait.OnGate.class);
    run.now = Instant.parse("2026-05-05T02:30:00Z"); // 59 + 30 = 89 minutes
    run.step();
    assertThat(run.lastUpdatedSites()).isEmpty();
    run.now = Instant.parse("2026-05-05T02:31:00Z"); // 90 minutes
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("b");
  }

  @Test
  void pausedRolloutRecordsObservationsButSendsNothing() {
    Run run = new Run(running(canaryThenRest(GatesNone()), FOUR));
    run.step();
    run.rollout = accepted(RolloutCommands.pause(run.rollout, "carol", "incident", run.now));
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    assertThat(run.rollout.site("a").status()).isEqualTo(SiteStatus.DONE);
    assertThat(run.lastUpdatedSites()).isEmpty();
    run.rollout = accepted(RolloutCommands.resume(run.rollout, "carol", "", run.now));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("b", "c", "d");
  }

  @Test
  void heldRolloutDoesNothingUntilApproved() {
    Rollout held = Rollout.held("pos-r9", "pos", "r9", "r1", plan(canaryThenRest(health()), FOUR), "force push: r9 does not descend from r8", T0);
    Step step = new RolloutMachine().step(held, Map.of(), GateSignals.NONE, FleetTime.ALWAYS, T0);
    assertThat(step.actions()).isEmpty();
    assertThat(step.waitingOn().describe()).contains("force push");
  }

  static dev.flotilla.fleet.Gates GatesNone() {
    return dev.flotilla.fleet.Gates.NONE;
  }

  static Rollout accepted(CommandResult result) {
    assertThat(result).isInstanceOf(CommandResult.Accepted.class);
    return ((CommandResult.Accepted) result).next();
  }
}
