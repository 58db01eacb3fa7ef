package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.CommandRequest;
import dev.flotilla.engine.ConflictException;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.AppliedRelease;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.SimulatedDelivery;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.delivery.push.KubeconfigClients;
import dev.flotilla.delivery.push.PushDelivery;
import dev.flotilla.delivery.push.SharedHttpClients;
import dev.flotilla.delivery.push.SiteClients;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.OutboxRows;
import dev.flotilla.testing.PushFleet;
import dev.flotilla.testing.SmallFleet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end on real parts: a Git repository, the real kustomize, embedded H2, Quartz,
 * the HTTP API, and simulated sites (and, in one test, push sites on fabric8 mock API servers).
 * Time is a test clock: each round steps the engine, lets the sites act, and moves the clock on.
 */
class EngineIT {
  /** The database the engine uses; H2 here, PostgreSQL in {@link PostgresEngineIT}. */
  EngineConfig database(EngineConfig config) {
    return config;
  }

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock;
  SimulatedDelivery sites;
  CiStatuses.Recorded ci;
  /** The configuration the engine started with, its database included: a restart uses it again. */
  EngineConfig config;
  Engine engine;

  @BeforeEach
  void start() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    SmallFleet.write(git);
    git.commit("web 1.0");
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    sites = SimulatedDelivery.builder(clock).build();
    config = database(EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock));
    ci = new CiStatuses.Recorded(CiStatus.PASSED);
    engine = Engine.start(config, sites, ci);
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) engine.close();
    sites.close();
    git.close();
  }

  /** Steps until the rollout's state satisfies {@code done} (or fails after many rounds). */
  RolloutView runUntil(String id, Predicate<RolloutView> done) throws Exception {
    for (int round = 0; round < 200; round++) {
      engine.step();
      sites.tick();
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      clock.advance(Duration.ofSeconds(10));
    }
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  String rolloutOf(String revision) throws Exception {
    return engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst().orElseThrow().id();
  }

  @Test
  void aReleaseRunsThroughEveryWaveCanaryFirst() throws Exception {
    String first = git.head();
    RolloutView done = runUntil(rolloutOf(first), r -> r.state().equals("COMPLETED"));

    assertThat(done.waves()).extracting(RolloutView.WaveView::done).containsExactly(1, 2, 4);
    List<AppliedRelease> history = sites.history();
    assertThat(history).hasSize(7);
    assertThat(history.get(0).site()).isEqualTo("hub-1");
    Instant canaryApplied = history.get(0).at();
    assertThat(history.subList(1, 7)).allSatisfy(a -> assertThat(a.at()).isAfterOrEqualTo(canaryApplied.plus(Duration.ofMinutes(1))));
    List<AuditView> audit = engine.operations().audit(done.id(), 500, 0);
    assertThat(audit).extracting(AuditView::kind).contains("release");
  }

  @Test
  void aCiGateWaitsOnTheStoredStatusShownWithItsAgeAndPromotesOnceItPasses() throws Exception {
    runUntil(rolloutOf(git.head()), r -> r.state().equals("COMPLETED"));
    String policy = java.nio.file.Files.readString(git.workTree().resolve("policies/default.yaml"));
    git.write("policies/default.yaml", policy.replace("gates: {health: true, soak: 1m}", "gates: {health: true, ci: [ci/build]}"));
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String next = git.commit("web 2.0, its canary gated on CI");
    ci.record(next, "ci/build", CiStatus.PENDING);
    engine.syncNow();
    String id = rolloutOf(next);

    RolloutView waiting = runUntil(id, r -> r.waves().get(0).done() == 1 && r.waitingOn() != null && r.waitingOn().contains("ci/build"));
    for (int i = 0; i < 3; i++) {
      engine.step();
      clock.advance(Duration.ofSeconds(10));
    }
    RolloutView still = engine.operations().get(id);
    assertThat(still.currentWave()).isZero();
    assertThat(still.waitingOn()).contains("ci/build pending since " + waiting.waitingOn().replaceAll(".*pending since (\\S+?)[;)].*", "$1"));

    ci.record(next, "ci/build", CiStatus.PASSED);
    RolloutView done = runUntil(id, r -> r.state().equals("COMPLETED"));
    assertThat(done.waves()).extracting(RolloutView.WaveView::done).containsExactly(1, 2, 4);
    assertThat(engine.operations().audit(id, 500, 0)).extracting(AuditView::message)
        .anySatisfy(m -> assertThat(m).contains("wave canary passed its gates").contains("ci"));
  }

  @Test
  void aFailingReleaseHaltsAtTheCanaryAndRollsBack() throws Exception {
    String good = git.head();
    runUntil(rolloutOf(good), r -> r.state().equals("COMPLETED"));
    sites.failReleasesContaining("web:2.0-bad");
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0-bad"));
    String bad = git.commit("web 2.0 (bad)");
    engine.syncNow();

    RolloutView halted = runUntil(rolloutOf(bad), r -> r.state().equals("HALTED"));
    RolloutView rollback = runUntil(halted.id() + "-rollback", r -> r.state().equals("COMPLETED"));

    assertThat(halted.waves().get(0).failed()).isEqualTo(1);
    assertThat(halted.waves().get(1).done() + halted.waves().get(1).updating()).isZero();
    assertThat(rollback.kind()).isEqualTo("ROLLBACK");
    assertThat(rollback.revision()).isEqualTo(good);
    assertThat(sites.runningRevision("hub-1", "web")).contains(good);
    assertThat(sites.history().stream().filter(a -> a.revision().equals(bad)).map(AppliedRelease::site)).containsExactly("hub-1");
  }

  @Test
  void aPromotionAtAMomentJustPassedRunsAtOnceAndTheAuditSaysSo() throws Exception {
    String id = rolloutOf(git.head());
    runUntil(id, r -> r.waves().get(0).done() == 1);
    Instant justPassed = clock.instant().minusSeconds(30);

    engine.operations().command(id, "promote", new CommandRequest("alice", "ship it", null, justPassed));
    engine.step(); // the pass carries the promotion out, now

    assertThat(engine.operations().get(id).currentWave()).isEqualTo(1);
    assertThat(engine.operations().audit(id, 500, 0)).extracting(AuditView::message)
        .anySatisfy(m -> assertThat(m).contains("ship it").contains("at " + justPassed + " had passed").contains("promoted at once"));
  }

  @Test
  void aSiteAddedToTheFleetDuringARolloutJoinsItsWaveWithoutStoppingIt() throws Exception {
    String first = git.head();
    String id = rolloutOf(first);
    runUntil(id, r -> r.waves().get(0).done() == 1);
    git.write("sites/late.yaml", "apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: edge-9}\n"
        + "spec: {tier: edge, timezone: Asia/Tokyo}\n");
    git.commit("a new edge gateway");
    engine.syncNow();

    RolloutView done = runUntil(id, r -> r.state().equals("COMPLETED"));

    assertThat(done.waves().get(2).total()).isEqualTo(5);
    assertThat(done.sites()).anySatisfy(s -> {
      assertThat(s.site()).isEqualTo("edge-9");
      assertThat(s.status()).isEqualTo("DONE");
    });
    assertThat(engine.operations().audit(id, 500, 0)).anySatisfy(a -> assertThat(a.message()).contains("edge-9"));
  }

  @Test
  void aForcePushedRevisionWaitsForAPersonBeforeItRollsOut() throws Exception {
    runUntil(rolloutOf(git.head()), r -> r.state().equals("COMPLETED"));
    git.orphan("rewrite");
    SmallFleet.write(git);
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("3.0"));
    String rewritten = git.commit("history rewritten");
    git.moveBranch("main", rewritten);
    engine.syncNow();
    String id = rolloutOf(rewritten);

    for (int i = 0; i < 5; i++) {
      engine.step();
      sites.tick();
      clock.advance(Duration.ofSeconds(10));
    }
    RolloutView held = engine.operations().get(id);
    assertThat(held.state()).isEqualTo("HELD");
    assertThat(held.reason()).contains("force push");
    assertThat(sites.history()).noneMatch(a -> a.revision().equals(rewritten));

    assertThatThrownBy(() -> engine.operations().command(id, "approve", CommandRequest.by("alice")))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("'comment'");
    assertThat(engine.operations().get(id).state()).isEqualTo("HELD");
    engine.operations().command(id, "approve", new CommandRequest("alice", "the rewrite is intended", null, null));

    assertThat(runUntil(id, r -> r.state().equals("COMPLETED")).waves().get(2).done()).isEqualTo(4);
    assertThat(engine.operations().audit(id, 500, 0)).anySatisfy(a -> assertThat(a.actor()).isEqualTo("alice"));
  }

  @Test
  void aCommandThatDoesNotFitTheStateIsAConflictWithItsReason() throws Exception {
    String id = rolloutOf(git.head());
    runUntil(id, r -> r.state().equals("COMPLETED"));

    assertThatThrownBy(() -> engine.operations().command(id, "pause", CommandRequest.by("alice")))
        .isInstanceOf(ConflictException.class).hasMessageContaining(id);
  }

  @Test
  void pausedRolloutsSendNothingUntilResumed() throws Exception {
    String id = rolloutOf(git.head());
    runUntil(id, r -> r.waves().get(0).done() == 1);
    engine.operations().command(id, "pause", CommandRequest.by("alice"));
    int applied = sites.history().size();

    for (int i = 0; i < 20; i++) {
      engine.step();
      sites.tick();
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(engine.operations().get(id).state()).isEqualTo("PAUSED");
    assertThat(sites.history()).hasSize(applied);
    engine.operations().command(id, "resume", CommandRequest.by("alice"));
    assertThat(runUntil(id, r -> r.state().equals("COMPLETED")).state()).isEqualTo("COMPLETED");
  }

  @Test
  void aCompletedRolloutStaysCompletedAfterANewerReleaseOfTheAppCompletes() throws Exception {
    String firstId = rolloutOf(git.head());
    runUntil(firstId, r -> r.state().equals("COMPLETED"));
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String second = git.commit("web 2.0");
    engine.syncNow();

    RolloutView newer = runUntil(rolloutOf(second), r -> r.state().equals("COMPLETED"));

    assertThat(engine.operations().get(firstId).state()).as("the first rollout, read from the engine").isEqualTo("COMPLETED");
    JsonNode overHttp = getJson("/api/v1/rollouts/" + firstId);
    assertThat(overHttp.path("state").asText()).as("the first rollout over the API: %s", overHttp).isEqualTo("COMPLETED");
    JsonNode list = getJson("/api/v1/rollouts");
    assertThat(list).extracting(r -> r.path("id").asText() + " " + r.path("state").asText())
        .contains(firstId + " COMPLETED", newer.id() + " COMPLETED");
    assertThat(engine.operations().audit(firstId, 500, 0)).extracting(AuditView::kind).doesNotContain("superseded");
    assertThat(sites.runningRevision("hub-1", "web")).contains(second);
  }

  @Test
  void aSiteNotHealthyWithinItsWavesProgressDeadlineFailsTheWavesThreshold() throws Exception {
    runUntil(rolloutOf(git.head()), r -> r.state().equals("COMPLETED"));
    // hub-3 takes the release but never becomes ready; the hubs wave allows no failure and waits 10 minutes.
    git.write("policies/default.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata: {name: default}
        spec:
          onFailure: rollback
          waves:
            - name: canary
              selector: {names: [hub-1]}
              gates: {health: true, soak: 1m}
            - name: hubs
              selector: {tiers: [hub]}
              maxUnavailable: 1
              progressDeadline: 10m
              gates: {health: true}
            - name: edge
              selector: {tiers: [edge]}
              maxUnavailable: 50%
        """);
    git.write("apps/web/base/deploy.yaml", SmallFleet.deployment("2.0"));
    String second = git.commit("web 2.0, hubs with a progress deadline");
    engine.syncNow();
    sites.readyDelay("hub-3", dev.flotilla.delivery.Delay.fixed(Duration.ofDays(1)));

    RolloutView halted = runUntil(rolloutOf(second), r -> r.state().equals("HALTED"));

    RolloutView.SiteTargetView hub3 = halted.sites().stream().filter(s -> s.site().equals("hub-3")).findFirst().orElseThrow();
    assertThat(hub3.status()).isEqualTo("FAILED");
    assertThat(hub3.message()).contains("progress deadline of 10m");
    assertThat(halted.waves().get(1).failed()).isEqualTo(1);
    assertThat(halted.waves().get(2).done() + halted.waves().get(2).updating()).isZero();
    AuditView halt = engine.operations().audit(halted.id(), 500, 0).stream().filter(a -> a.kind().equals("halted")).findFirst()
        .orElseThrow();
    assertThat(halt.message()).contains("wave hubs").contains("hub-3");
    assertThat(Duration.between(hub3.sentAt(), halt.at())).as("halted after the deadline, not before")
        .isGreaterThanOrEqualTo(Duration.ofMinutes(10));
    assertThat(sites.history().stream().filter(a -> a.revision().equals(second)).map(AppliedRelease::site))
        .doesNotContain("edge-1", "edge-2", "edge-3", "edge-4");
  }

  @Test
  void pushSitesOnMockApiServersGetEachObjectAppliedOnceStampedWithTheRelease() throws Exception {
    engine.close(); // this test's fleet is of push sites, each on its own mock API server
    engine = null;
    List<MockCluster> clusters = new ArrayList<>();
    try (GitFixture pushGit = GitFixture.init(dir.resolve("push-fleet")); SharedHttpClients http = new SharedHttpClients(1)) {
      PushFleet.write(pushGit, 3, PushFleet.DEFAULT_POLICY);
      String revision = pushGit.commit("web 1.0 on three data centers");
      for (int i = 0; i < 3; i++) clusters.add(new MockCluster());
      PushFleet.kubeconfigs(dir.resolve("kubeconfigs"), clusters);
      try (SiteClients clients = new SiteClients(new KubeconfigClients(dir.resolve("kubeconfigs"), http.factory(),
          Duration.ofMillis(500), Duration.ofSeconds(5)), 16, Duration.ofMinutes(5), clock)) {
        // Health polls on the collecting thread: each round sees that round's readings.
        PushDelivery push = new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10));
        engine = Engine.start(database(EngineConfig.defaults(pushGit.workTree().toString(), dir.resolve("push-data"))
            .withListen("127.0.0.1", 0)
            .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
            .withClock(clock)), push, ci);
        String id = engine.operations().list().get(0).id();

        RolloutView done = null;
        for (int round = 0; round < 200 && done == null; round++) {
          engine.step();
          RolloutView view = engine.operations().get(id);
          if (view.state().equals("COMPLETED")) done = view;
          clusters.forEach(MockCluster::rollOutDeployments); // the clusters' workload controllers
          clock.advance(Duration.ofSeconds(10));
        }

        assertThat(done).as("rollout %s completed: %s", id, engine.operations().get(id)).isNotNull();
        assertThat(done.revision()).isEqualTo(revision);
        assertThat(done.waves()).extracting(RolloutView.WaveView::done).containsExactly(1, 2);
        assertThat(OutboxRows.read(engine.database().dataSource())).as("one intent per site, each carried out")
            .extracting(i -> i.site() + " " + i.state()).containsExactlyInAnyOrder("dc-1 DONE", "dc-2 DONE", "dc-3 DONE");
        for (int i = 0; i < 3; i++) {
          String site = "dc-" + (i + 1);
          MockCluster cluster = clusters.get(i);
          List<HasMetadata> objects = List.of(cluster.client().namespaces().withName("web").get(),
              cluster.client().apps().deployments().inNamespace("web").withName("web").get());
          assertThat(objects).as("%s's objects", site).allSatisfy(o -> {
            assertThat(o.getMetadata().getLabels()).as(o.getKind()).containsEntry("flotilla.dev/site", site)
                .containsEntry("flotilla.dev/app", "web").containsEntry("flotilla.dev/tier", "datacenter");
            assertThat(o.getMetadata().getAnnotations()).as(o.getKind()).containsEntry("flotilla.dev/revision", revision);
          });
          assertThat(applies(cluster)).as("server-side applies at %s", site).isEqualTo(Map.of(
              "/api/v1/namespaces/web", 1L,
              "/apis/apps/v1/namespaces/web/deployments/web", 1L,
              "/api/v1/namespaces/flotilla-system", 1L,
              "/api/v1/namespaces/flotilla-system/configmaps/flotilla-inventory-web", 1L));
        }
      }
    } finally {
      if (engine != null) engine.close();
      engine = null;
      clusters.forEach(MockCluster::close);
    }
  }

  @Test
  void syncAttemptsSurviveARestartWithTheirProblemsAndARepeatStaysOneAttempt() throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    // The poll job runs once at start (Quartz startNow): wait for it, so it cannot land between the syncs below.
    while (engine.syncStatus().attempts().size() < 2 && System.nanoTime() < until) Thread.sleep(50);
    String good = engine.syncStatus().revision();
    git.write("sites/broken.yaml", "apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: hub-9}\nspec:\n  tier: hub\n  tiree: x\n");
    String broken = git.commit("a site with a typo");
    clock.advance(Duration.ofSeconds(30));
    engine.syncNow();
    Instant first = clock.instant();
    clock.advance(Duration.ofSeconds(30));
    engine.syncNow();
    Instant last = clock.instant();
    dev.flotilla.engine.view.SyncView before = engine.syncStatus();
    engine.close();
    engine = null;

    clock.advance(Duration.ofSeconds(30));
    engine = Engine.start(config, sites, ci);

    dev.flotilla.engine.view.SyncView after = engine.syncStatus(200);
    assertThat(after.revision()).isEqualTo(good);
    dev.flotilla.engine.view.SyncView.Attempt newest = after.attempts().get(0);
    // The new engine syncs at start and finds the same broken revision: the same attempt once more.
    assertThat(newest.revision()).isEqualTo(broken);
    assertThat(newest.outcome()).isEqualTo("invalid");
    assertThat(newest.problems()).anySatisfy(p -> assertThat(p).startsWith("sites/broken.yaml:6").contains("tiree"));
    assertThat(newest.at()).isEqualTo(first);
    assertThat(newest.lastAt()).isAfter(last);
    assertThat(newest.count()).as("two before the restart, one or two (the startup poll) after").isBetween(3, 4);
    assertThat(after.attempts().subList(1, after.attempts().size())).as("the earlier engine's attempts, kept")
        .isEqualTo(before.attempts().subList(1, before.attempts().size()))
        .extracting(dev.flotilla.engine.view.SyncView.Attempt::outcome).containsExactly("unchanged", "synced");
  }

  /** Server-side applies (PATCH with a field manager) the cluster answered, per object path. */
  static Map<String, Long> applies(MockCluster cluster) {
    return cluster.api().requests().stream()
        .filter(r -> r.startsWith("PATCH ") && r.contains("fieldManager="))
        .map(r -> r.substring("PATCH ".length(), r.indexOf('?')))
        .collect(Collectors.groupingBy(p -> p, TreeMap::new, Collectors.counting()));
  }

  JsonNode getJson(String path) throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(engine.apiUri().resolve(path)).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
  }
}
