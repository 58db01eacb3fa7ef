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
import dev.flotilla.rollout.CiStatus;
import dev.flotilla.testing.GitFixture;
import dev.flotilla.testing.MockCluster;
import dev.flotilla.testing.PushFleet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blue/green policy through the whole engine: a real Git fleet repo, the real kustomize, embedded
 * H2, the outbox and its workers, and the push adapter applying to three data centers on fabric8
 * mock API servers (CRUD mode, taught server-side apply). Simulated controllers roll out every
 * Deployment between rounds unless a test turns them off; the clock is stepped.
 */
class BlueGreenEngineIT {
  static final String POLICY = """
      apiVersion: flotilla.dev/v1
      kind: RolloutPolicy
      metadata: {name: default}
      spec:
        strategy: blueGreen
        scaleDownDelay: 10m
        onFailure: rollback
        waves:
          - name: canary
            selector: {names: [dc-1]}
            progressDeadline: 5m
            gates: {health: true}
          - name: datacenters
            selector: {tiers: [datacenter]}
            progressDeadline: 5m
            gates: {health: true}
      """;

  @TempDir Path dir;
  GitFixture git;
  SteppedClock clock;
  final List<MockCluster> clusters = new ArrayList<>();
  SharedHttpClients http;
  SiteClients clients;
  Engine engine;
  boolean controllers = true;

  @BeforeEach
  void fleetAndClusters() throws Exception {
    git = GitFixture.init(dir.resolve("fleet"));
    PushFleet.write(git, 3, POLICY);
    git.write("apps/web/base/kustomization.yaml", "resources: [namespace.yaml, deploy.yaml, service.yaml]\n")
        .write("apps/web/base/deploy.yaml", deployment("1.0"))
        .write("apps/web/base/service.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n");
    git.commit("web 1.0");
    for (int i = 0; i < 3; i++) clusters.add(new MockCluster());
    PushFleet.kubeconfigs(dir.resolve("kubeconfigs"), clusters);
    clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
    http = new SharedHttpClients(1);
    clients = new SiteClients(new KubeconfigClients(dir.resolve("kubeconfigs"), http.factory(), Duration.ofMillis(500),
        Duration.ofSeconds(5)), 16, Duration.ofMinutes(5), clock);
    PushDelivery push = new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10));
    EngineConfig config = EngineConfig.defaults(git.workTree().toString(), dir.resolve("data"))
        .withListen("127.0.0.1", 0)
        .withIntervals(Duration.ofHours(1), Duration.ofHours(1))
        .withClock(clock)
        .withDeliveryTiming(Duration.ofSeconds(10), PushEngineIT.BACKOFF);
    engine = Engine.start(config, push, new CiStatuses.Recorded(CiStatus.PASSED));
  }

  static String deployment(String tag) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "registry.example.com/web:%s"}]
        """.formatted(tag);
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
  void theNextWaveGetsAReleaseOnlyOnceTheCanarysServiceSwitchedToItsHealthyCopy() throws Exception {
    runUntil(rolloutOf(git.head()), r -> r.state().equals("COMPLETED"));
    for (MockCluster c : clusters) assertThat(selector(c)).containsEntry("flotilla.dev/color", "blue");

    controllers = false; // the new copies never get ready replicas
    git.write("apps/web/base/deploy.yaml", deployment("2.0"));
    String next = git.commit("web 2.0");
    engine.syncNow();
    String id = rolloutOf(next);
    RolloutView waiting = runUntil(id, r -> false, 12);

    assertThat(waiting.currentWave()).isZero();
    assertThat(image(clusters.get(0), "web-green")).endsWith("web:2.0");
    assertThat(image(clusters.get(0), "web-blue")).as("the old copy runs beside it").endsWith("web:1.0");
    assertThat(selector(clusters.get(0))).as("not switched to a copy that is not healthy").containsEntry("flotilla.dev/color", "blue");
    assertThat(deployment(clusters.get(1), "web-green")).as("dc-2 waits for the canary").isNull();

    controllers = true;
    runUntil(id, r -> r.state().equals("COMPLETED"));
    for (MockCluster c : clusters) {
      assertThat(selector(c)).containsEntry("flotilla.dev/color", "green");
      assertThat(deployment(c, "web-blue")).as("kept for the scale-down delay").isNotNull();
    }

    clock.advance(Duration.ofMinutes(10));
    engine.checkDrift(); // the rollout has ended: the drift check carries out the scale-downs due
    for (MockCluster c : clusters) {
      assertThat(deployment(c, "web-blue")).isNull();
      assertThat(image(c, "web-green")).endsWith("web:2.0");
    }
  }

  @Test
  void aRolloutThatFailsAfterTheCanarySwitchedRollsTheCanaryBackByASwitch() throws Exception {
    String good = git.head();
    runUntil(rolloutOf(good), r -> r.state().equals("COMPLETED"));
    clusters.get(1).api().refuseApplies(p -> p.contains("/deployments/web-green"), "Deployment.apps \"web-green\" is invalid: quota",
        "spec.replicas");
    git.write("apps/web/base/deploy.yaml", deployment("2.0"));
    String bad = git.commit("web 2.0");
    engine.syncNow();

    RolloutView halted = runUntil(rolloutOf(bad), r -> r.state().equals("HALTED"));
    assertThat(halted.waves().get(0).done()).as("the canary switched to 2.0 first").isEqualTo(1);
    assertThat(halted.sites()).filteredOn(s -> s.site().equals("dc-2")).singleElement()
        .satisfies(s -> assertThat(s.message()).contains("web-green").contains("quota"));
    runUntil(halted.id() + "-rollback", r -> r.state().equals("COMPLETED"));

    MockCluster canary = clusters.get(0);
    assertThat(selector(canary)).as("switched back").containsEntry("flotilla.dev/color", "blue");
    assertThat(image(canary, "web-blue")).endsWith("web:1.0");
    assertThat(deployment(canary, "web-green")).as("the copy switched away from waits for the delay").isNotNull();
    assertThat(selector(clusters.get(1))).as("dc-2 never left blue").containsEntry("flotilla.dev/color", "blue");
  }

  // ---- helpers

  RolloutView runUntil(String id, Predicate<RolloutView> done) throws Exception {
    return runUntil(id, done, 200);
  }

  RolloutView runUntil(String id, Predicate<RolloutView> done, int rounds) throws Exception {
    for (int round = 0; round < rounds; round++) {
      engine.step();
      RolloutView view = engine.operations().get(id);
      if (done.test(view)) return view;
      if (controllers) clusters.forEach(MockCluster::rollOutDeployments);
      clock.advance(Duration.ofSeconds(10));
    }
    if (rounds < 200) return engine.operations().get(id);
    throw new AssertionError("rollout " + id + " did not get there: " + engine.operations().get(id));
  }

  String rolloutOf(String revision) throws Exception {
    return engine.operations().list().stream().filter(r -> r.revision().equals(revision)).findFirst().orElseThrow().id();
  }

  static Deployment deployment(MockCluster c, String name) {
    return c.client().apps().deployments().inNamespace("web").withName(name).get();
  }

  static String image(MockCluster c, String name) {
    return deployment(c, name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  static Map<String, String> selector(MockCluster c) {
    return c.client().services().inNamespace("web").withName("web").get().getSpec().getSelector();
  }
}
