package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.push.KubeconfigClients;
import dev.flotilla.delivery.push.PushDelivery;
import dev.flotilla.delivery.push.SharedHttpClients;
import dev.flotilla.delivery.push.SiteClients;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.RolloutView.SiteTargetView;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.OutboxRows;
import dev.flotilla.testing.OutboxRows.Intent;
import dev.flotilla.testing.PushFleet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end with push sites: a real Git fleet repo, the real kustomize, embedded H2, the
 * outbox and its workers, and the push adapter applying to three data centers, each on its own
 * fabric8 mock API server in CRUD mode (taught server-side apply). A simulated controller rolls out
 * every Deployment between rounds. The engine's clock is a test clock: backoff, the progress
 * deadline and the health readings' age are stepped over, not slept.
 */
class PushEngineIT {
  static final DeliveryWorkers.Backoff BACKOFF = new DeliveryWorkers.Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1));

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock;
  final List<MockCluster> clusters = new ArrayList<>();
  SharedHttpClients http;
  SiteClients clients;
  Engine engine;
  /** Whether the clusters' simulated controllers roll out Deployments between rounds. */
  boolean controllers = true;

  @BeforeEach
  void fleetAndClusters() {
    git = GitFixture.init(dir.resolve("fleet"));
    PushFleet.write(git, 3, PushFleet.DEFAULT_POLICY);
    git.commit("web 1.0");
    for (int i = 0; i < 3; i++) clusters.add(new MockCluster());
    PushFleet.kubeconfigs(dir.resolve("kubeconfigs"), clusters);
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  }

  /** Starts the engine once the test has broken what it breaks: its first pass may deliver at once. */
  void startEngine() throws Exception {
    http = new SharedHttpClients(1);
    clients = new SiteClients(new KubeconfigClients(dir.resolve("kubeconfigs"), http.factory(), Duration.ofMillis(500),
        Duration.ofSeconds(5)), 16, Duration.ofMinutes(5), clock);
    // Health polls run on the collecting thread: each step sees the readings of that step.
    PushDelivery push = new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10));
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock)
        .withDeliveryTiming(Duration.ofSeconds(10), BACKOFF);
    engine = Engine.start(config, push, new CiStatuses.Recorded(CiStatus.PASSED));
  }

  @AfterEach
  void stop() {
    if (engine != null) engine.close();
    if (clients != null) clients.close();
    if (http != null) http.close();
    clusters.forEach(MockCluster::close);
    git.close();
  }

  @Test
  void aReleaseRunsThroughBothWavesAndEveryClusterHoldsItsObjects() throws Exception {
    startEngine();

    RolloutView done = runUntil(r -> r.state().equals("COMPLETED"));

    assertThat(done.waves()).extracting(RolloutView.WaveView::done).containsExactly(1, 2);
    assertThat(done.sites()).extracting(SiteTargetView::status).containsOnly("DONE");
    for (int i = 0; i < 3; i++) {
      Deployment web = deployment(clusters.get(i));
      assertThat(web).as("dc-%d's cluster", i + 1).isNotNull();
      assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith("web:1.0");
      assertThat(clusters.get(i).client().namespaces().withName("web").get()).isNotNull();
      assertThat(clusters.get(i).client().configMaps().inNamespace("flotilla-system").withName("flotilla-inventory-web").get())
          .as("the inventory kept in dc-%d's cluster", i + 1).isNotNull();
    }
    assertThat(OutboxRows.read(engine.database().dataSource())).extracting(Intent::state).containsOnly("DONE");
  }

  @Test
  void theCanaryMustBeHealthyBeforeTheNextWaveGetsAnything() throws Exception {
    controllers = false; // the canary's Deployment never reports its replicas ready
    startEngine();

    runUntil(r -> r.waves().get(0).done() == 1, 30);
    RolloutView waiting = runUntil(r -> false, 10);

    assertThat(waiting.currentWave()).isZero();
    assertThat(deployment(clusters.get(0))).isNotNull();
    assertThat(deployment(clusters.get(1))).as("dc-2 waits for the canary to be healthy").isNull();
    assertThat(deployment(clusters.get(2))).isNull();

    controllers = true;
    assertThat(runUntil(r -> r.state().equals("COMPLETED")).waves().get(1).done()).isEqualTo(2);
    assertThat(deployment(clusters.get(1))).isNotNull();
  }

  @Test
  void anUnreachableSiteIsShownUnreachableRetriedThenFailedAtTheDeadlineWhileTheWaveGoesOn() throws Exception {
    clusters.get(2).stop();
    startEngine();

    runUntil(r -> r.currentWave() == 1 && intent("dc-3").attempts() >= 2);
    assertThat(unreachable("dc-3")).as("dc-3 in site_reports while it cannot be reached").isPresent();
    assertThat(intent("dc-3").state()).isEqualTo("PENDING");
    assertThat(intent("dc-3").lastError()).contains("dc-3");

    RolloutView ended = runUntil(r -> r.state().equals("COMPLETED") || r.state().equals("HALTED"));

    assertThat(ended.state()).as("one failed site is within the wave's threshold").isEqualTo("COMPLETED");
    assertThat(site(ended, "dc-3").status()).isEqualTo("FAILED");
    assertThat(site(ended, "dc-3").message()).contains("progress deadline");
    assertThat(site(ended, "dc-2").status()).isEqualTo("DONE");
    assertThat(deployment(clusters.get(1))).isNotNull();
  }

  @Test
  void anObjectTheApiServerRefusesFailsTheSiteWithItsMessageAndTheWaveGoesOn() throws Exception {
    clusters.get(1).api().refuseApplies(p -> p.equals("/apis/apps/v1/namespaces/web/deployments/web"),
        "Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.containers[0].image");
    startEngine();

    RolloutView ended = runUntil(r -> r.state().equals("COMPLETED") || r.state().equals("HALTED"));

    assertThat(ended.state()).isEqualTo("COMPLETED");
    SiteTargetView dc2 = site(ended, "dc-2");
    assertThat(dc2.status()).isEqualTo("FAILED");
    assertThat(dc2.message()).contains("Deployment/web/web").contains("spec.template.spec.containers[0].image").contains("Required value");
    Intent refused = intent("dc-2");
    assertThat(refused.state()).as("refused, not retried").isEqualTo("FAILED");
    assertThat(refused.attempts()).isEqualTo(1);
    assertThat(refused.lastError()).contains("Required value");
    assertThat(unreachable("dc-2")).as("a refusing site is not unreachable").isEmpty();
    assertThat(site(ended, "dc-3").status()).isEqualTo("DONE");
    assertThat(deployment(clusters.get(2))).isNotNull();
  }

  // ---- helpers

  /** Steps (reports in, a pass, its deliveries out), lets the clusters' controllers act, and moves the clock on. */
  RolloutView runUntil(Predicate<RolloutView> done) throws Exception {
    return runUntil(done, 200);
  }

  RolloutView runUntil(Predicate<RolloutView> done, int rounds) throws Exception {
    String id = engine.operations().list().get(0).id();
    for (int round = 0; round < rounds; round++) {
      engine.step();
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      for (MockCluster c : controllers ? clusters : List.<MockCluster>of()) {
        try {
          c.rollOutDeployments();
        } catch (RuntimeException stopped) {
          // a stopped cluster has no controllers
        }
      }
      clock.advance(Duration.ofSeconds(10));
    }
    if (rounds < 200) return engine.operations().get(id); // a bounded run: where it stands after them
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  static SiteTargetView site(RolloutView view, String name) {
    return view.sites().stream().filter(s -> s.site().equals(name)).findFirst().orElseThrow();
  }

  static Deployment deployment(MockCluster cluster) {
    return cluster.client().apps().deployments().inNamespace("web").withName("web").get();
  }

  Intent intent(String site) {
    try {
      List<Intent> of = OutboxRows.read(engine.database().dataSource()).stream().filter(i -> i.site().equals(site)).toList();
      assertThat(of).as("intents of %s", site).hasSizeLessThanOrEqualTo(1);
      return of.isEmpty() ? new Intent("", "", "", site, "", "NONE", 0, null, null, null, null, null) : of.get(0);
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Why site_reports shows the site unreachable for web, or empty. */
  Optional<String> unreachable(String site) throws Exception {
    try (Connection c = engine.database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT unreachable FROM site_reports WHERE site = ? AND app = 'web'")) {
      s.setString(1, site);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
      }
    }
  }
}
