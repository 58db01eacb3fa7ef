package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.rollout.FleetTime;
import dev.flotilla.rollout.GateSignals;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutMachine;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.testing.RepoRoot;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutCodecTest {
  @Test
  void aRolloutOfTheExampleFleetSurvivesTheRoundTripThroughJson() throws Exception {
    FleetModel model = FleetLoader.load(RepoRoot.find().resolve("fleet-repo-example"));
    var app = model.app("pos").orElseThrow();
    RolloutPolicy policy = model.policy(app.policy()).orElseThrow();
    RolloutPlan plan = RolloutPlan.of(policy, WavePlanner.plan(policy, model.targets(app)));
    Instant now = Instant.parse("2026-11-25T10:00:00Z");
    Rollout queued = Rollout.queued("pos-1", "pos", "a".repeat(40), "b".repeat(40), plan, now);
    Rollout running = new RolloutMachine().step(
        queued.withState(dev.flotilla.rollout.RolloutState.RUNNING, ""), Map.of(), GateSignals.NONE,
        FleetTime.of(model.fleet()), now).next();

    String json = RolloutCodec.encode(running);

    assertThat(RolloutCodec.decode("pos-1", json)).isEqualTo(running);
    assertThat(json).contains("\"soak\":\"PT30M\"", "\"timezone\":\"Europe/Paris\"");
  }
}
