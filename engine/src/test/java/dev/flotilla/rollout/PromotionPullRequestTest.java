package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.T0;
import static dev.flotilla.rollout.Fixtures.names;
import static dev.flotilla.rollout.Fixtures.policy;
import static dev.flotilla.rollout.Fixtures.push;
import static dev.flotilla.rollout.Fixtures.running;
import static dev.flotilla.rollout.Fixtures.wave;
import static dev.flotilla.rollout.RolloutMachineTest.accepted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.PromotionFile;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code approval: pull-request}: when a promotion pull request is due, and what a merged promotion file approves. */
class PromotionPullRequestTest {
  static final Gates BY_PULL_REQUEST = new Gates(false, Duration.ZERO, true, List.of(), null, null, true);
  static final List<Site> SITES = List.of(push("a"), push("b"), push("c"));

  private static Run gatedAtCanary(Gates gates) {
    Run run = new Run(running(policy(OnFailure.HALT, wave("canary", names("a"), gates), wave("rest", SiteSelector.ALL)), SITES));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    return run;
  }

  @Test
  void noPullRequestWhileTheWaveIsUpdating() {
    Run run = new Run(running(policy(OnFailure.HALT, wave("canary", names("a"), BY_PULL_REQUEST), wave("rest", SiteSelector.ALL)), SITES));
    run.step();
    assertThat(run.rollout.wave(0).phase()).isEqualTo(WavePhase.UPDATING);
    assertThat(PromotionRequests.due(run.rollout)).isEmpty();
  }

  @Test
  void aGatedWaveWithPullRequestApprovalNeedsItsPromotionFile() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    assertThat(run.last.waitingOn()).isEqualTo(new Wait.OnGate("canary", Gate.APPROVAL,
        "waiting for the promotion pull request to be merged (or a person to approve)"));
    PromotionFile file = PromotionRequests.due(run.rollout).orElseThrow();
    assertThat(file).isEqualTo(new PromotionFile("pos", "pos-r2", "r2", "canary", List.of("a"), run.rollout.wave(0).updatedAt()));
    assertThat(PromotionRequests.due(run.after(Duration.ofHours(1)).step().next())).as("the same file on every later pass").contains(file);
  }

  @Test
  void aPersonsApprovalGateNeedsNoPullRequest() {
    assertThat(PromotionRequests.due(gatedAtCanary(Fixtures.approval()).rollout)).isEmpty();
  }

  @Test
  void noPullRequestOnceAPersonApproved() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    Rollout approved = accepted(RolloutCommands.approve(run.rollout, "canary", "alice", "", run.now));
    assertThat(PromotionRequests.due(approved)).isEmpty();
  }

  private static PromotionFile fileFor(Rollout r, String wave) {
    return new PromotionFile(r.app(), r.id(), r.revision(), wave, List.of("a"), T0);
  }

  @Test
  void aMergedFileApprovesItsWave() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    assertThat(PromotionMerge.decide(fileFor(run.rollout, "canary"), Optional.of(run.rollout)))
        .isEqualTo(new PromotionMerge.Approve("pos-r2", "canary"));
  }

  @Test
  void aFileForAnApprovedWaveChangesNothing() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    Rollout approved = accepted(RolloutCommands.approve(run.rollout, "canary", "alice", "", run.now));
    assertThat(PromotionMerge.decide(fileFor(approved, "canary"), Optional.of(approved)))
        .isEqualTo(new PromotionMerge.AlreadyApproved("pos-r2", "canary", "alice"));
  }

  @Test
  void aFileForAnUnknownRolloutIsIgnoredWithANote() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    assertThat(PromotionMerge.decide(fileFor(run.rollout, "canary"), Optional.empty()))
        .isInstanceOfSatisfying(PromotionMerge.Ignore.class, i -> assertThat(i.why()).contains("names no known rollout (pos-r2)"));
  }

  @Test
  void aFileForAnUnknownWaveIsIgnoredWithANote() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    assertThat(PromotionMerge.decide(fileFor(run.rollout, "everyone"), Optional.of(run.rollout)))
        .isInstanceOfSatisfying(PromotionMerge.Ignore.class, i -> assertThat(i.why()).contains("has no wave everyone"));
  }

  @Test
  void aFileForASupersededReleaseIsIgnoredWithANote() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    Rollout superseded = run.rollout.withState(RolloutState.SUPERSEDED, "newer release");
    assertThat(PromotionMerge.decide(fileFor(superseded, "canary"), Optional.of(superseded)))
        .isInstanceOfSatisfying(PromotionMerge.Ignore.class, i -> assertThat(i.why()).contains("is superseded; nothing to approve"));
  }

  @Test
  void aFileForAnotherRevisionIsIgnoredWithANote() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    PromotionFile other = new PromotionFile("pos", "pos-r2", "r3", "canary", List.of("a"), T0);
    assertThat(PromotionMerge.decide(other, Optional.of(run.rollout)))
        .isInstanceOfSatisfying(PromotionMerge.Ignore.class, i -> assertThat(i.why()).contains("is for pos@r3"));
  }

  @Test
  void aFileForAWaveWithoutApprovalGateIsIgnoredWithANote() {
    Run run = gatedAtCanary(BY_PULL_REQUEST);
    assertThat(PromotionMerge.decide(fileFor(run.rollout, "rest"), Optional.of(run.rollout)))
        .isInstanceOfSatisfying(PromotionMerge.Ignore.class, i -> assertThat(i.why()).contains("has no approval gate"));
  }
}
