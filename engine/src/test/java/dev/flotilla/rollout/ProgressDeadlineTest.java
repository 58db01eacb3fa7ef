package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.T0;
import static dev.flotilla.rollout.Fixtures.names;
import static dev.flotilla.rollout.Fixtures.pull;
import static dev.flotilla.rollout.Fixtures.push;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.Quantity;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.fleet.WaveSpec;
import dev.flotilla.fleet.Window;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wave's progress deadline turns silence into failure for push sites; an offline pull site stays pending. */
class ProgressDeadlineTest {

  private static Rollout running(List<Site> sites, WaveSpec... waves) {
    RolloutPolicy policy = new RolloutPolicy("p", List.of(waves), RolloutPolicy.Supersede.QUEUE, OnFailure.HALT);
    RolloutPlan plan = RolloutPlan.of(policy, WavePlanner.plan(policy, sites));
    return Rollout.queued("app-r2", "app", "r2", "r1", plan, T0).withState(RolloutState.RUNNING, "");
  }

  private static WaveSpec deadlineWave(String name, SiteSelector selector, int failuresAllowed, Duration deadline) {
    return new WaveSpec(name, selector, null, Gates.NONE, Quantity.count(failuresAllowed), 100, deadline);
  }

  private static final Gates HEALTH = new Gates(true, Duration.ZERO, false, List.of(), null, null);

  @Test
  void aPushSiteThatNeverReportsHealthyFailsAtTheDeadlineAndCountsAgainstTheThreshold() {
    Run run = new Run(running(List.of(push("a"), push("b")), deadlineWave("all", SiteSelector.ALL, 0, Duration.ofMinutes(10))));
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("a", "b");
    run.after(Duration.ofMinutes(2)).done("a", true).step();
    run.after(Duration.ofMinutes(7)).step();
    assertThat(run.rollout.site("b").status()).isEqualTo(SiteStatus.UPDATING);

    run.after(Duration.ofMinutes(1)).step();
    assertThat(run.rollout.site("b").status()).isEqualTo(SiteStatus.FAILED);
    assertThat(run.rollout.site("b").message()).contains("progress deadline of 10m");
    assertThat(run.rollout.state()).isEqualTo(RolloutState.HALTED);
  }

  @Test
  void aSiteThatAppliedButStaysUnhealthyFailsAtTheDeadlineToo() {
    WaveSpec gated = new WaveSpec("all", SiteSelector.ALL, null, HEALTH, Quantity.count(1), 100, Duration.ofMinutes(10));
    Run run = new Run(running(List.of(push("a"), push("b")), gated));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).done("b", false).step();
    assertThat(run.rollout.site("b").status()).isEqualTo(SiteStatus.DONE);
    assertThat(run.rollout.state()).isEqualTo(RolloutState.RUNNING);
    run.after(Duration.ofMinutes(9)).step();
    assertThat(run.rollout.site("b").status()).isEqualTo(SiteStatus.FAILED);
    // One failure is within the threshold, and a failed site is no longer an unhealthy one: the wave passes.
    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void anOfflinePullSiteIsNotFailedByTheDeadline() {
    WaveSpec edge = new WaveSpec("edge", SiteSelector.ALL, null, Gates.NONE, Quantity.count(0), 50, Duration.ofMinutes(10));
    Run run = new Run(running(List.of(pull("e1"), pull("e2")), edge));
    run.step();
    run.after(Duration.ofMinutes(1)).done("e1", true).step();
    run.after(Duration.ofHours(5)).step();
    assertThat(run.rollout.site("e2").status()).isEqualTo(SiteStatus.UPDATING);
    assertThat(run.rollout.state()).isEqualTo(RolloutState.COMPLETED);
  }

  @Test
  void aWindowNameMissingFromTheFleetMeansClosed() {
    // The plan froze a wave gated on window "night"; the followed fleet no longer declares it.
    WaveSpec stores = new WaveSpec("stores", names("a"), null, new Gates(false, Duration.ZERO, false, List.of(), null, "night"),
        null, 100);
    Run run = new Run(running(List.of(push("a")), stores));
    run.time = new FleetTime(Map.of(), List.of());
    run.step();
    assertThat(run.lastUpdatedSites()).isEmpty();
    assertThat(run.last.waitingOn()).isEqualTo(new Wait.OnWindow("stores", "night", null));

    run.time = new FleetTime(Map.of("night", new Window("night", "0 0 * ? * *", Duration.ofHours(24))), List.of());
    run.step();
    assertThat(run.lastUpdatedSites()).containsExactly("a");
  }
}
