package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DesiredRevisionTest {
  static final List<Site> SITES = List.of(push("a"), pull("edge-1"), pull("edge-2"));
  static final RolloutPolicy POLICY = policy(OnFailure.HALT,
      wave("canary", names("a"), approval()), wave("edge", SiteSelector.ALL, null, null, 50));

  static Rollout completed(String rev, int minute) {
    Run run = new Run(running("pos-" + rev, rev, null, plan(POLICY, SITES), T0.plus(Duration.ofMinutes(minute))));
    run.step();
    run.done("a", true).step();
    run.rollout = RolloutMachineTest.accepted(RolloutCommands.approve(run.rollout, "canary", "x", "", run.now));
    run.step();
    run.done("edge-2", true).step();
    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
    return run.rollout;
  }

  @Test
  void reconnectingPullSiteGetsTheRevisionPromotedToItsWaveInOneStep() {
    Rollout r2 = completed("r2", 0).withState(RolloutState.SUPERSEDED, "replaced");
    Rollout r3 = completed("r3", 10);
    // edge-1 was offline through both: it goes straight to r3.
    assertThat(DesiredRevision.of("edge-1", List.of(r2, r3))).contains("r3");
  }

  @Test
  void newerRevisionNeverReachesASiteBeforeItsWaveIsPromoted() {
    Rollout r2 = completed("r2", 0);
    Rollout r3 = running("pos-r3", "r3", "r2", plan(POLICY, SITES), T0.plus(Duration.ofMinutes(20)));
    Run run = new Run(r3);
    run.now = r3.createdAt();
    run.step(); // canary "a" gets r3, edge waits for approval
    assertThat(DesiredRevision.of("a", List.of(r2, run.rollout))).contains("r3");
    assertThat(DesiredRevision.of("edge-1", List.of(r2, run.rollout))).contains("r2");
  }

  @Test
  void haltedHeldAndCancelledRolloutsDoNotSpread() {
    Rollout r2 = completed("r2", 0);
    Rollout halted = completed("r3", 10).halted("bad", T0);
    Rollout cancelled = completed("r4", 20).withState(RolloutState.ABORTED, "aborted");
    assertThat(DesiredRevision.of("edge-1", List.of(r2, halted, cancelled))).contains("r2");
    assertThat(DesiredRevision.of("unknown-site", List.of(r2))).isEmpty();
  }
}
