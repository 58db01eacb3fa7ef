package dev.flotilla.rollout;

import static dev.flotilla.rollout.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.RolloutPolicy.OnFailure;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutCommandsTest {
  static final List<Site> SITES = List.of(push("a"), push("b"));
  static final RolloutPolicy POLICY = policy(OnFailure.HALT, wave("canary", names("a"), approval()), wave("rest", SiteSelector.ALL));

  static Rollout in(RolloutState state) {
    return running(POLICY, SITES).withState(state, "");
  }

  static Stream<Arguments> misfits() {
    return Stream.of(
        Arguments.of("pause a paused rollout", in(RolloutState.PAUSED), cmd(r -> RolloutCommands.pause(r, "x", "", T0)), "only a running rollout can be paused"),
        Arguments.of("resume a running rollout", in(RolloutState.RUNNING), cmd(r -> RolloutCommands.resume(r, "x", "", T0)), "only a paused rollout can be resumed"),
        Arguments.of("approve a completed rollout", in(RolloutState.COMPLETED), cmd(r -> RolloutCommands.approve(r, "canary", "x", "", T0)), "nothing left to approve"),
        Arguments.of("approve a wave without approval gate", in(RolloutState.RUNNING), cmd(r -> RolloutCommands.approve(r, "rest", "x", "", T0)), "wave rest has no approval gate"),
        Arguments.of("approve an unknown wave", in(RolloutState.RUNNING), cmd(r -> RolloutCommands.approve(r, "nope", "x", "", T0)), "no wave named nope"),
        Arguments.of("approve a wave of a held rollout", in(RolloutState.HELD), cmd(r -> RolloutCommands.approve(r, "canary", "x", "", T0)), "with no wave"),
        Arguments.of("promote a paused rollout", in(RolloutState.PAUSED), cmd(r -> RolloutCommands.promoteNow(r, "x", "", T0)), "only a running rollout can be promoted"),
        Arguments.of("roll back a queued rollout", in(RolloutState.QUEUED), cmd(r -> RolloutCommands.rollback(r, "x", "", T0)), "abort it instead"),
        Arguments.of("roll back with no site updated", in(RolloutState.RUNNING), cmd(r -> RolloutCommands.rollback(r, "x", "", T0)), "nothing to roll back"),
        Arguments.of("abort a completed rollout", in(RolloutState.COMPLETED), cmd(r -> RolloutCommands.abort(r, "x", "", T0)), "it is over"),
        Arguments.of("abort a superseded rollout", in(RolloutState.SUPERSEDED), cmd(r -> RolloutCommands.abort(r, "x", "", T0)), "it is over"));
  }

  static Function<Rollout, CommandResult> cmd(Function<Rollout, CommandResult> f) {
    return f;
  }

  @ParameterizedTest(name = "{0} is rejected")
  @MethodSource("misfits")
  void commandThatDoesNotFitTheStateIsRejectedWithAReason(String what, Rollout r, Function<Rollout, CommandResult> command, String reason) {
    CommandResult result = command.apply(r);
    assertThat(result).isInstanceOfSatisfying(CommandResult.Rejected.class,
        rejected -> assertThat(rejected.reason()).contains(r.id()).contains(reason));
  }

  @Test
  void approvalRecordsWhoAndWhenAndIsNotTakenTwice() {
    Rollout r = RolloutMachineTest.accepted(RolloutCommands.approve(in(RolloutState.RUNNING), "canary", "alice", "ship it", T0));
    assertThat(r.wave(0).approval()).isEqualTo(new Signoff("alice", T0, "ship it"));
    CommandResult again = RolloutCommands.approve(r, "canary", "bob", "", T0.plusSeconds(5));
    assertThat(again).isInstanceOfSatisfying(CommandResult.Rejected.class,
        rej -> assertThat(rej.reason()).contains("already approved by alice"));
  }

  @Test
  void heldForcePushIsReleasedByApproveWithNoWaveAndThenStarts() {
    Rollout held = Rollout.held("pos-r9", "pos", "r9", "r1", plan(POLICY, SITES), "force push: r9 does not descend from r8", T0);
    CommandResult result = RolloutCommands.approve(held, null, "alice", "intended", T0.plusSeconds(60));
    Rollout released = RolloutMachineTest.accepted(result);
    assertThat(released.state()).isEqualTo(RolloutState.QUEUED);
    assertThat(((CommandResult.Accepted) result).events()).singleElement()
        .satisfies(e -> assertThat(e.actor()).isEqualTo("alice"));

    Supersession.Arrangement arranged = Supersession.arrange(List.of(released), RolloutPolicy.Supersede.QUEUE, T0.plusSeconds(60));
    assertThat(arranged.changed()).singleElement().extracting(Rollout::state).isEqualTo(RolloutState.RUNNING);
  }

  @Test
  void manualRollbackMarksTheReleaseRolledBackAndTakesBackTheSitesThatGotIt() {
    Run run = new Run(running(POLICY, SITES));
    run.step();
    run.after(Duration.ofMinutes(1)).done("a", true).step();
    CommandResult result = RolloutCommands.rollback(run.rollout, "dave", "latency up", run.now);
    CommandResult.Accepted accepted = (CommandResult.Accepted) result;
    assertThat(accepted.next().state()).isEqualTo(RolloutState.ROLLED_BACK);
    Rollout rollback = ((RolloutAction.StartRollback) accepted.actions().get(0)).rollback();
    assertThat(rollback.plan().siteNames()).containsExactly("a");
    assertThat(rollback.revision()).isEqualTo("r1");
    assertThat(rollback.reason()).isEqualTo("rolled back by dave: latency up");
    assertThat(RolloutCommands.rollback(accepted.next(), "dave", "", run.now)).isInstanceOf(CommandResult.Rejected.class);
  }
}
