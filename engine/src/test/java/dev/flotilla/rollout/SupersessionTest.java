package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.RolloutPolicy.Supersede;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SupersessionTest {
  static final List<Site> SITES = List.of(push("a"), push("b"), push("c"));
  static final RolloutPolicy POLICY = policy(OnFailure.HALT, wave("canary", names("a"), approval()), wave("rest", SiteSelector.ALL));

  static Rollout queued(String rev, int minute) {
    return Rollout.queued("pos-" + rev, "pos", rev, "r1", plan(POLICY, SITES), T0.plus(Duration.ofMinutes(minute)));
  }

  static Map<String, RolloutState> states(List<Rollout> all, Supersession.Arrangement a) {
    Map<String, Rollout> byId = all.stream().collect(Collectors.toMap(Rollout::id, Function.identity()));
    a.changed().forEach(r -> byId.put(r.id(), r));
    return byId.values().stream().collect(Collectors.toMap(Rollout::revision, Rollout::state));
  }

  @Test
  void queueModeKeepsOnlyTheNewestWaitingRevision() {
    Rollout running = queued("r2", 0).withState(RolloutState.RUNNING, "");
    List<Rollout> all = List.of(running, queued("r3", 1), queued("r4", 2));
    Supersession.Arrangement a = Supersession.arrange(all, Supersede.QUEUE, T0);
    assertThat(states(all, a)).containsEntry("r2", RolloutState.RUNNING)
        .containsEntry("r3", RolloutState.SUPERSEDED).containsEntry("r4", RolloutState.QUEUED);
  }

  @Test
  void queuedRevisionStartsWhenTheRunningOneHaltsAndRetiresItStillHalted() {
    Rollout halted = queued("r2", 0).withState(RolloutState.RUNNING, "").halted("2 failed", T0);
    List<Rollout> all = List.of(halted, queued("r3", 1));
    Supersession.Arrangement a = Supersession.arrange(all, Supersede.QUEUE, T0);
    // Terminal states are final: history keeps that r2 halted; it only stops counting.
    assertThat(states(all, a)).containsEntry("r2", RolloutState.HALTED).containsEntry("r3", RolloutState.RUNNING);
    assertThat(a.changed()).filteredOn(r -> r.revision().equals("r2")).singleElement()
        .satisfies(r -> assertThat(r.retiredAt()).isEqualTo(T0));
  }

  @Test
  void aCompletedRolloutStaysCompletedWhenANewerReleaseCompletesAndStopsActing() {
    Rollout older = queued("r1", 0).withState(RolloutState.COMPLETED, "every wave passed");
    Rollout newer = queued("r2", 1).withState(RolloutState.COMPLETED, "every wave passed");
    List<Rollout> all = List.of(older, newer);
    Supersession.Arrangement a = Supersession.arrange(all, Supersede.QUEUE, T0);
    assertThat(states(all, a)).containsEntry("r1", RolloutState.COMPLETED).containsEntry("r2", RolloutState.COMPLETED);
    Rollout retired = a.changed().stream().filter(r -> r.revision().equals("r1")).findFirst().orElseThrow();
    assertThat(retired.acting()).isFalse();
    assertThat(newer.acting()).isTrue();
    // A second arrangement changes nothing: retiring is recorded once.
    assertThat(Supersession.arrange(List.of(retired, newer), Supersede.QUEUE, T0).changed()).isEmpty();
    assertThat(Supersession.lastGoodRevision(List.of(retired, newer))).contains("r2");
  }

  @Test
  void aCompletedRolloutStaysCompletedWhileANewerOneRuns() {
    Rollout done = queued("r1", 0).withState(RolloutState.COMPLETED, "");
    Rollout running = queued("r2", 1).withState(RolloutState.RUNNING, "");
    assertThat(Supersession.arrange(List.of(done, running), Supersede.IMMEDIATE, T0).changed()).isEmpty();
  }

  @Test
  void immediateModeCancelsTheRunningRolloutAndStartsTheNewOneFromTheFirstWave() {
    Run run = new Run(queued("r2", 0).withState(RolloutState.RUNNING, ""));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    run.rollout = RolloutMachineTest.accepted(RolloutCommands.approve(run.rollout, "canary", "x", "", run.now));
    run.step();
    List<Rollout> all = List.of(run.rollout, queued("r3", 5));
    Supersession.Arrangement a = Supersession.arrange(all, Supersede.IMMEDIATE, T0);
    assertThat(states(all, a)).containsEntry("r2", RolloutState.SUPERSEDED).containsEntry("r3", RolloutState.RUNNING);

    Rollout r3 = a.changed().stream().filter(r -> r.revision().equals("r3")).findFirst().orElseThrow();
    Run next = new Run(r3);
    next.now = run.now;
    next.step();
    assertThat(next.lastUpdatedSites()).containsExactly("a");
  }

  @Test
  void runningRollbackIsNotSupersededAndQueuedReleasesWaitForIt() {
    Rollout rollback = Rollout.fresh("pos-r2-rollback", "pos", "r1", null, RolloutKind.ROLLBACK, RolloutState.RUNNING, "", plan(POLICY, SITES), T0.plusSeconds(30));
    List<Rollout> all = List.of(rollback, queued("r3", 5));
    Supersession.Arrangement a = Supersession.arrange(all, Supersede.IMMEDIATE, T0);
    assertThat(a.changed()).isEmpty();
  }

  @Test
  void lastGoodRevisionIsTheNewestCompletedOne() {
    List<Rollout> all = List.of(
        queued("r1", 0).withState(RolloutState.COMPLETED, ""),
        queued("r2", 1).withState(RolloutState.COMPLETED, ""),
        queued("r3", 2).halted("failed", T0));
    assertThat(Supersession.lastGoodRevision(all)).contains("r2");
  }
}
