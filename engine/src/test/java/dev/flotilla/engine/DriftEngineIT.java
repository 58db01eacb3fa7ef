package dev.flotilla.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.app.Engine;
import dev.flotilla.app.EngineConfig;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.delivery.push.KubeconfigClients;
import dev.flotilla.delivery.push.PushDelivery;
import dev.flotilla.delivery.push.SharedHttpClients;
import dev.flotilla.delivery.push.SiteClients;
import dev.flotilla.engine.view.AuditView;
import dev.flotilla.engine.view.DriftView;
import dev.flotilla.engine.view.RolloutView;
import dev.flotilla.engine.view.SiteView;
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.OutboxRows;
import dev.flotilla.testing.OutboxRows.Intent;
import dev.flotilla.testing.PushFleet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift and self-heal end to end: a real Git fleet repo, the real kustomize, embedded H2, the outbox
 * and its workers, and three data centers, each on its own fabric8 mock API server in CRUD mode
 * (taught server-side apply). A release is rolled out to every site, then someone changes the
 * clusters behind Flotilla's back (kubectl scale, a new image), and the engine's drift checks run
 * one round at a time ({@link Engine#checkDrift}). The engine's clock is a test clock: the check
 * interval (one hour here, so the drift job itself never fires during a test) is stepped over.
 */
class DriftEngineIT {
  static final Duration INTERVAL = Duration.ofHours(1);
  static final String DEPLOYMENT = "/apis/apps/v1/namespaces/web/deployments/web";

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock;
  final List<MockCluster> clusters = new ArrayList<>();
  SharedHttpClients http;
  SiteClients clients;
  Engine engine;

  @BeforeEach
  void fleetAndClusters() {
    git = GitFixture.init(dir.resolve("fleet"));
    PushFleet.write(git, 3, PushFleet.DEFAULT_POLICY);
    for (int i = 0; i < 3; i++) clusters.add(new MockCluster());
    PushFleet.kubeconfigs(dir.resolve("kubeconfigs"), clusters);
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  }

  /** The app's spec lines after targets and policy (selfHeal, ignoreFields), committed as the release. */
  void appOptions(String lines) {
    git.write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n"
        + "  policy: default\n" + lines);
  }

  /** Commits the fleet, starts the engine, rolls the release out to every site, and lets a check interval pass. */
  void rolledOut() throws Exception {
    git.commit("web 1.0");
    http = new SharedHttpClients(1);
    clients = new SiteClients(new KubeconfigClients(dir.resolve("kubeconfigs"), http.factory(), Duration.ofMillis(500),
        Duration.ofSeconds(5)), 16, Duration.ofMinutes(5), clock);
    PushDelivery push = new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10));
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock)
        .withDeliveryTiming(Duration.ofSeconds(10), new DeliveryWorkers.Backoff(Duration.ofSeconds(10), Duration.ofMinutes(1)))
        .withDriftInterval(INTERVAL);
    engine = Engine.start(config, push, new CiStatuses.Recorded(CiStatus.PASSED));
    String id = engine.operations().list().get(0).id();
    for (int round = 0; round < 200 && !engine.operations().get(id).state().equals("COMPLETED"); round++) {
      engine.step();
      clusters.forEach(MockCluster::rollOutDeployments);
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(engine.operations().get(id).state()).isEqualTo("COMPLETED");
    clock.advance(INTERVAL.plusMinutes(1)); // deliveries of the last interval are left alone by a check
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
  void aFieldChangedOnTheClusterIsShownAsDriftWithTheFieldAndAuditedOnce() throws Exception {
    rolledOut();
    assertThat(engine.checkDrift()).isEqualTo(new DriftChecker.Round(3, 0, 0, 0, 0));
    assertThat(drift("dc-2").objects()).as("checked and in sync").isZero();

    scale(1, 7);
    clock.advance(Duration.ofMinutes(5));
    DriftChecker.Round round = engine.checkDrift();

    assertThat(round.drifted()).isEqualTo(1);
    DriftView dc2 = drift("dc-2");
    assertThat(dc2.objects()).isEqualTo(1);
    assertThat(dc2.fields()).containsExactly("Deployment/web/web: spec.replicas: want 2, live 7");
    assertThat(dc2.checkedAt()).isEqualTo(clock.instant());
    assertThat(dc2.since()).isEqualTo(clock.instant());
    assertThat(drift("dc-1").objects()).isZero();
    RolloutView.SiteTargetView inRollout = engine.operations().get(engine.operations().list().get(0).id()).sites().stream()
        .filter(s -> s.site().equals("dc-2")).findFirst().orElseThrow();
    assertThat(inRollout.drift()).as("the rollout's view of dc-2").isEqualTo(dc2);

    clock.advance(Duration.ofMinutes(5));
    engine.checkDrift();
    assertThat(audit("drift-detected")).as("audited when it started, not at every check").singleElement()
        .satisfies(a -> assertThat(a.message()).contains("site dc-2").contains("spec.replicas: want 2, live 7"));
    assertThat(drift("dc-2").since()).isEqualTo(dc2.since());
  }

  @Test
  void withoutSelfHealADriftedSiteStaysDriftedAndNothingIsApplied() throws Exception {
    rolledOut();
    int appliesBefore = applies(1);
    scale(1, 7);

    for (int i = 0; i < 3; i++) {
      clock.advance(INTERVAL);
      engine.checkDrift();
      engine.step();
    }

    assertThat(drift("dc-2").objects()).isEqualTo(1);
    assertThat(deployment(1).getSpec().getReplicas()).isEqualTo(7);
    assertThat(applies(1)).as("server-side applies to dc-2 since the rollout").isEqualTo(appliesBefore);
    assertThat(OutboxRows.read(engine.database().dataSource())).extracting(Intent::wave).doesNotContain("heal");
    assertThat(audit("drift-heal")).isEmpty();
  }

  @Test
  void withSelfHealADriftedSiteGetsItsReleaseReappliedThroughTheOutboxAndDriftClears() throws Exception {
    appOptions("  selfHeal: true\n");
    rolledOut();
    scale(1, 7);

    DriftChecker.Round round = engine.checkDrift();

    assertThat(round.healed()).isEqualTo(1);
    assertThat(deployment(1).getSpec().getReplicas()).as("the checker itself applies nothing").isEqualTo(7);
    List<Intent> heals = OutboxRows.read(engine.database().dataSource()).stream().filter(i -> i.wave().equals("heal")).toList();
    assertThat(heals).singleElement().satisfies(i -> {
      assertThat(i.site()).isEqualTo("dc-2");
      assertThat(i.state()).isEqualTo("PENDING");
      assertThat(i.rolloutId()).isEqualTo(DriftChecker.HEAL);
    });
    assertThat(drift("dc-2").healedAt()).isEqualTo(clock.instant());

    engine.workers().drain(Duration.ofSeconds(60));

    assertThat(deployment(1).getSpec().getReplicas()).as("re-applied by a delivery worker").isEqualTo(2);
    assertThat(OutboxRows.read(engine.database().dataSource()).stream().filter(i -> i.wave().equals("heal")))
        .extracting(Intent::state).containsExactly("DONE");
    assertThat(deployment(0).getSpec().getReplicas()).isEqualTo(2);

    clock.advance(INTERVAL.plusMinutes(1));
    DriftChecker.Round after = engine.checkDrift();
    assertThat(drift("dc-2").fields()).isEmpty();
    assertThat(after.drifted()).isZero();
    assertThat(drift("dc-2").objects()).isZero();
    assertThat(audit("drift-heal")).singleElement().satisfies(a -> assertThat(a.message()).contains("site dc-2"));
    assertThat(audit("drift-cleared")).singleElement().satisfies(a -> assertThat(a.message()).contains("site dc-2 is back in sync"));
  }

  @Test
  void aSiteJustHealedIsNotHealedAgainWithinTheInterval() throws Exception {
    appOptions("  selfHeal: true\n");
    rolledOut();
    scale(1, 7);
    engine.checkDrift();
    engine.workers().drain(Duration.ofSeconds(60));

    scale(1, 9); // a controller fighting Flotilla for the field
    clock.advance(Duration.ofMinutes(10));
    DriftChecker.Round tooSoon = engine.checkDrift();

    assertThat(tooSoon.healed()).isZero();
    assertThat(deployment(1).getSpec().getReplicas()).isEqualTo(9);
    assertThat(OutboxRows.read(engine.database().dataSource())).filteredOn(i -> i.wave().equals("heal")).hasSize(1);
  }

  @Test
  void anUnreachableSiteDuringADriftCheckIsNotMarkedDriftedAndNothingIsDisturbed() throws Exception {
    appOptions("  selfHeal: true\n");
    rolledOut();
    List<Intent> before = OutboxRows.read(engine.database().dataSource());
    clusters.get(2).stop();

    DriftChecker.Round round = engine.checkDrift();

    assertThat(round).isEqualTo(new DriftChecker.Round(2, 0, 0, 1, 0));
    assertThat(app("dc-3").drift()).as("no finding recorded for a site that could not be read").isNull();
    assertThat(drift("dc-1").objects()).isZero();
    assertThat(OutboxRows.read(engine.database().dataSource())).as("no delivery decided").isEqualTo(before);
    assertThat(audit("drift-detected")).isEmpty();
    assertThat(engine.operations().list().get(0).state()).isEqualTo("COMPLETED");
  }

  @Test
  void ignoredFieldsAreNoDriftButOtherFieldsAre() throws Exception {
    appOptions("  ignoreFields:\n    - {kind: Deployment, path: spec.replicas}\n");
    rolledOut();
    scale(0, 5);

    assertThat(engine.checkDrift().drifted()).as("only the ignored spec.replicas changed").isZero();
    assertThat(drift("dc-1").objects()).isZero();

    clusters.get(0).client().apps().deployments().inNamespace("web").withName("web")
        .edit(d -> { d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example.com/web:hotfix"); return d; });
    clock.advance(Duration.ofMinutes(5));
    engine.checkDrift();

    assertThat(drift("dc-1").fields()).containsExactly(
        "Deployment/web/web: spec.template.spec.containers[0].image: want registry.example.com/web:1.0, live registry.example.com/web:hotfix");
  }

  // ---- helpers

  void scale(int cluster, int replicas) {
    clusters.get(cluster).client().apps().deployments().inNamespace("web").withName("web").scale(replicas);
  }

  Deployment deployment(int cluster) {
    return clusters.get(cluster).client().apps().deployments().inNamespace("web").withName("web").get();
  }

  /** Server-side applies of the Deployment the cluster received (not dry runs). */
  int applies(int cluster) {
    return (int) clusters.get(cluster).api().requests().stream()
        .filter(r -> r.startsWith("PATCH " + DEPLOYMENT + "?") && r.contains("fieldManager=flotilla") && !r.contains("dryRun")).count();
  }

  SiteView.AppStatus app(String site) throws Exception {
    return engine.operations().sites().stream().filter(s -> s.site().equals(site)).findFirst().orElseThrow().apps().get("web");
  }

  DriftView drift(String site) throws Exception {
    DriftView d = app(site).drift();
    assertThat(d).as("the drift of web at %s in GET /sites", site).isNotNull();
    return d;
  }

  List<AuditView> audit(String kind) throws Exception {
    return engine.operations().audit(null, 1000, 0).stream().filter(a -> a.kind().equals(kind)).toList();
  }
}
