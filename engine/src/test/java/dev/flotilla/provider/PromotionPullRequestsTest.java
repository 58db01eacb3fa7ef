package dev.flotilla.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Gates;
import dev.flotilla.fleet.RolloutPolicy;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.WavePlanner;
import dev.flotilla.fleet.WaveSpec;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitAuth;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutCommands;
import dev.flotilla.rollout.RolloutMachine;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.SiteObservation;
import dev.flotilla.rollout.FleetTime;
import dev.flotilla.rollout.GateSignals;
import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The promotion pull request job: finds an existing request first, and backs off after a failure. */
class PromotionPullRequestsTest {
  static final String REV = "0123456789abcdef0123456789abcdef01234567";
  @TempDir Path dir;
  SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  FleetRepoSource local;
  final List<String> calls = new ArrayList<>();
  Optional<PullRequest> existing = Optional.empty();

  final ProviderApi api = new ProviderApi() {
    public void setStatus(String repo, String sha, CommitStatus status) {}

    public List<CommitStatus> statuses(String repo, String ref) {
      return List.of();
    }

    public long upsertComment(String repo, int number, String marker, String body) {
      return 0;
    }

    public Optional<PullRequest> findPullRequest(String repo, String head) {
      calls.add("find " + head);
      return existing;
    }

    public PullRequest openPullRequest(String repo, String head, String base, String title, String body) {
      calls.add("open " + head + " into " + base);
      return new PullRequest(1, "", "open");
    }
  };

  @BeforeEach
  void open() throws Exception {
    // A local folder has no remote: pushing the branch fails, as an unreachable remote would.
    local = FleetRepoSource.open(FleetFiles.minimal(dir.resolve("fleet")).root().toString(), dir.resolve("cache"), GitAuth.NONE);
  }

  @AfterEach
  void close() {
    local.close();
  }

  PromotionPullRequests requests() {
    return new PromotionPullRequests(api, "acme/fleet", local, "main", clock, Duration.ofSeconds(15), Duration.ofMinutes(10));
  }

  /** A rollout whose canary wave is updated and waits on its pull request approval. */
  Rollout gated() {
    Site a = new Site("a", Map.of(), "dc", Delivery.PUSH, ZoneOffset.UTC, Map.of(), null);
    Gates byPr = new Gates(false, Duration.ZERO, true, List.of(), null, null, true);
    RolloutPolicy policy = new RolloutPolicy("p", List.of(new WaveSpec("canary", SiteSelector.ALL, null, byPr, null, 100)),
        RolloutPolicy.Supersede.QUEUE, RolloutPolicy.OnFailure.HALT);
    Rollout r = Rollout.queued("web-0123456789ab", "web", REV, null, RolloutPlan.of(policy, WavePlanner.plan(policy, List.of(a))), clock.instant())
        .withState(RolloutState.RUNNING, "");
    RolloutMachine machine = new RolloutMachine();
    r = machine.step(r, Map.of(), GateSignals.NONE, FleetTime.ALWAYS, clock.instant()).next();
    Instant later = clock.instant().plusSeconds(5);
    r = machine.step(r, Map.of("a", new SiteObservation("a", "web", REV, true, false, later, "")), GateSignals.NONE, FleetTime.ALWAYS, later).next();
    return r;
  }

  @Test
  void anExistingRequestIsFoundAndNoSecondOpened() {
    existing = Optional.of(new PullRequest(7, "https://github.example/acme/fleet/pull/7", "closed"));
    PromotionPullRequests requests = requests();
    Rollout r = gated();

    assertThat(requests.requestDue(List.of(r), Optional.of(REV))).singleElement()
        .satisfies(o -> assertThat(o.existed()).isTrue());
    assertThat(requests.requestDue(List.of(r), Optional.of(REV))).as("handled: the provider is not asked again").isEmpty();
    assertThat(calls).containsExactly("find flotilla/promote/web-0123456789ab-canary");
  }

  @Test
  void aFailedPushIsTriedAgainOnlyAfterABackoffThatDoubles() {
    PromotionPullRequests requests = requests();
    Rollout r = gated();

    assertThat(requests.requestDue(List.of(r), Optional.of(REV))).isEmpty();
    clock.advance(Duration.ofSeconds(14));
    requests.requestDue(List.of(r), Optional.of(REV));
    assertThat(calls).as("not before 15 s").hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    requests.requestDue(List.of(r), Optional.of(REV));
    assertThat(calls).hasSize(2);
    clock.advance(Duration.ofSeconds(29));
    requests.requestDue(List.of(r), Optional.of(REV));
    assertThat(calls).as("the second wait is 30 s").hasSize(2);
    clock.advance(Duration.ofSeconds(1));
    requests.requestDue(List.of(r), Optional.of(REV));
    assertThat(calls).hasSize(3).allMatch(c -> c.startsWith("find "));
  }

  @Test
  void nothingIsAskedForAWaveAPersonApproved() {
    Rollout r = gated();
    Rollout approved = ((dev.flotilla.rollout.CommandResult.Accepted) RolloutCommands.approve(r, "canary", "alice", "", clock.instant())).next();

    assertThat(requests().requestDue(List.of(approved), Optional.of(REV))).isEmpty();
    assertThat(calls).isEmpty();
  }
}
