package dev.flotilla.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.fleet.WaveSpec;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutPlan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A frozen plan keeps {@code approval: pull-request}; a plan stored before it existed reads as a person's approval. */
class PullRequestGateRowsTest {
  private static Rollout rollout(Gates gates) {
    Site a = new Site("a", Map.of(), "dc", Delivery.PUSH, ZoneOffset.UTC, Map.of(), null);
    RolloutPolicy policy = new RolloutPolicy("p", List.of(new WaveSpec("canary", SiteSelector.ALL, null, gates, null, 100)),
        RolloutPolicy.Supersede.QUEUE, RolloutPolicy.OnFailure.HALT);
    RolloutPlan plan = RolloutPlan.of(policy, WavePlanner.plan(policy, List.of(a)));
    return Rollout.queued("web-1", "web", "r1", null, plan, Instant.parse("2026-11-30T12:00:00Z"));
  }

  private static Rollout read(Rollout r, String planJson) throws Exception {
    return RolloutRows.rollout(r.id(), r.app(), r.revision(), r.kind().name(), r.state().name(), r.createdAt(), null,
        RolloutRows.header(r), planJson, Map.of());
  }

  @Test
  void pullRequestApprovalSurvivesTheStore() throws Exception {
    Rollout r = rollout(new Gates(false, Duration.ZERO, true, List.of(), null, null, true));
    assertThat(RolloutRows.plan(r)).contains("\"approvalByPullRequest\":true");
    Gates read = read(r, RolloutRows.plan(r)).plan().wave(0).spec().gates();
    assertThat(read.approvalByPullRequest()).isTrue();
    assertThat(read.approval()).isTrue();
  }

  @Test
  void aPlanStoredBeforePullRequestApprovalReadsAsAPersonsApproval() throws Exception {
    Rollout r = rollout(new Gates(false, Duration.ZERO, true, List.of(), null, null));
    ObjectNode plan = (ObjectNode) RolloutRows.json().readTree(RolloutRows.plan(r));
    assertThat(plan.path("waves").get(0).path("spec").path("gates").has("approval")).isTrue();
    assertThat(plan.path("waves").get(0).path("spec").path("gates").has("approvalByPullRequest"))
        .as("left out when false: an older engine reads the plan").isFalse();
    Gates read = read(r, plan.toString()).plan().wave(0).spec().gates();
    assertThat(read.approval()).isTrue();
    assertThat(read.approvalByPullRequest()).isFalse();
  }
}
