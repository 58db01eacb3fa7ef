package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.fleet.ApplyOptions;
import dev.flotilla.fleet.BlueGreen;
import dev.flotilla.fleet.Cluster;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import dev.flotilla.testing.MockCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blue/green through the push adapter against one mock API server in CRUD mode (taught server-side
 * apply); the test plays the Deployment controller by setting status. Health polls run on the
 * caller's thread, so a test reads their result (and what they switched or deleted) at once.
 */
class BlueGreenPushIT {
  private static final String GREEN = "/apis/apps/v1/namespaces/shop/deployments/web-green";
  private static final ApplyOptions BLUE_GREEN = ApplyOptions.DEFAULTS.withBlueGreen(new BlueGreen(Duration.ofMinutes(10)));

  @TempDir Path kubeconfigs;
  final MockCluster cluster = new MockCluster();
  final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-10T10:00:00Z"));
  SharedHttpClients http;
  SiteClients clients;
  PushDelivery push;
  final Site site = new Site("dc-1", Map.of(), "datacenter", Delivery.PUSH, ZoneId.of("UTC"), Map.of(), new Cluster("dc-1.yaml", "dc-1"));

  @BeforeEach
  void start() throws Exception {
    Files.writeString(kubeconfigs.resolve("dc-1.yaml"), cluster.kubeconfig("dc-1"));
    http = new SharedHttpClients(1);
    clients = new SiteClients(new KubeconfigClients(kubeconfigs, http.factory(), Duration.ofSeconds(1), Duration.ofSeconds(5)), 10,
        Duration.ofMinutes(5), clock);
    push = engine();
  }

  /** The adapter as an engine starts it, remembering its sites in the data folder. */
  private PushDelivery engine() {
    return new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10),
        kubeconfigs.resolve("push-sites.jsonl"));
  }

  @AfterEach
  void stop() {
    clients.close();
    http.close();
    cluster.close();
  }

  @Test
  void theFirstReleaseRunsAsTheBlueCopyAndItsServiceSelectsItAtOnce() throws Exception {
    push.deliver(release("r1"));

    assertThat(deployment("web")).as("no uncolored copy").isNull();
    Deployment blue = deployment("web-blue");
    assertThat(blue.getSpec().getSelector().getMatchLabels()).containsEntry("flotilla.dev/color", "blue").containsEntry("app", "web");
    assertThat(blue.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("flotilla.dev/color", "blue");
    assertThat(selector()).containsEntry("app", "web").containsEntry("flotilla.dev/color", "blue");
    assertThat(inventory()).contains("Deployment shop web-blue").contains("Service shop web").doesNotContain("web-green");
    assertThat(report().health()).isEqualTo(Health.PROGRESSING);

    cluster.rollOutDeployments();
    assertThat(poll().health()).isEqualTo(Health.HEALTHY);
  }

  @Test
  void aNewReleaseRunsBesideTheOldAndTheServiceSwitchesOnlyOnceItIsHealthy() throws Exception {
    runningR1();

    push.deliver(release("r2"));

    assertThat(image("web-blue")).isEqualTo("web:r1");
    assertThat(image("web-green")).isEqualTo("web:r2");
    assertThat(selector()).as("still the old copy").containsEntry("flotilla.dev/color", "blue");
    assertThat(report().health()).isEqualTo(Health.PROGRESSING);
    assertThat(report().message()).contains("green copy of r2").contains("Services still on blue");
    assertThat(poll().health()).as("the new copy has no ready replica yet").isEqualTo(Health.PROGRESSING);
    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");

    cluster.rollOutDeployments();
    SiteReport switched = poll();

    assertThat(selector()).containsEntry("flotilla.dev/color", "green");
    assertThat(switched.health()).isEqualTo(Health.HEALTHY);
    assertThat(switched.revision()).isEqualTo("r2");
    assertThat(deployment("web-blue")).as("the old copy stays for the delay").isNotNull();
  }

  @Test
  void theOldCopyIsDeletedAfterTheDelayAlsoByAnEngineThatRestarted() throws Exception {
    switchedToR2();
    clock.advance(Duration.ofMinutes(9));
    poll();
    assertThat(deployment("web-blue")).as("9 of 10 minutes").isNotNull();

    PushDelivery restarted = engine();
    clock.advance(Duration.ofMinutes(1));
    restarted.statuses("web");

    assertThat(deployment("web-blue")).isNull();
    assertThat(deployment("web-green")).isNotNull();
    assertThat(inventory()).doesNotContain("web-blue").contains("Deployment shop web-green");
    assertThat(selector()).containsEntry("flotilla.dev/color", "green");
  }

  @Test
  void aRollbackWhileTheOldCopyExistsSwitchesBackAtOnceWithoutANewCopy() throws Exception {
    switchedToR2();
    long blueGeneration = deployment("web-blue").getMetadata().getGeneration();

    push.deliver(release("r1"));

    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");
    assertThat(image("web-blue")).isEqualTo("web:r1");
    assertThat(deployment("web-blue").getMetadata().getGeneration()).as("nothing redeployed").isEqualTo(blueGeneration);
    assertThat(report().health()).as("the old copy is still rolled out").isEqualTo(Health.HEALTHY);
    assertThat(deployment("web-green")).as("the copy switched away from now waits for the delay").isNotNull();

    clock.advance(Duration.ofMinutes(10));
    poll();
    assertThat(deployment("web-green")).isNull();
    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");
  }

  @Test
  void aNewCopyThatFailsIsNeverSwitchedToAndTheSiteFails() throws Exception {
    runningR1();
    push.deliver(release("r2"));
    cluster.api().setStatus(GREEN, "{observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 0, "
        + "conditions: [{type: Progressing, status: 'False', reason: ProgressDeadlineExceeded, message: 'web-green has timed out'}]}");

    SiteReport failed = poll();
    clock.advance(Duration.ofDays(1));
    poll();

    assertThat(failed.health()).isEqualTo(Health.FAILED);
    assertThat(failed.message()).contains("green copy of r2").contains("failed").contains("Services still on blue");
    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");
    assertThat(deployment("web-blue")).isNotNull();
  }

  @Test
  void coloredNamesAndASwitchedSelectorAreNoDriftWhileAChangedFieldIs() throws Exception {
    switchedToR2();

    assertThat(push.drift(release("r2")).orElseThrow()).isEmpty();

    cluster.client().apps().deployments().inNamespace("shop").withName("web-green").edit(d -> {
      d.getSpec().setReplicas(7);
      return d;
    });
    assertThat(push.drift(release("r2")).orElseThrow()).containsOnlyKeys("Deployment/shop/web-green");
  }

  @Test
  void aPreviewOfANewReleaseShowsTheNewCopyCreatedAndNothingDeleted() throws Exception {
    runningR1();
    KubernetesApplier applier = new KubernetesApplier("dc-1", cluster.client(), KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE,
        d -> {}, Duration.ofMillis(10));
    SiteRelease r2 = release("r2");

    ApplyPreview preview = applier.preview("web", "r2", RenderedObjects.of(r2.desired()), ApplySettings.of(BLUE_GREEN));

    assertThat(preview.created()).extracting(ObjectRef::id).containsExactly("Deployment/shop/web-green");
    assertThat(preview.unchanged()).extracting(ObjectRef::id).contains("Service/shop/web");
    assertThat(preview.deleted()).as("the running blue copy stays").isEmpty();
    assertThat(deployment("web-green")).as("a preview changes nothing").isNull();
  }

  @Test
  void aHealthReadingDuringADeliveryDoesNotSwitchOnTheStateTheDeliveryReplaces() throws Exception {
    List<Runnable> polls = new java.util.ArrayList<>();
    List<Map<String, String>> selectorsDuringTheDelivery = new java.util.ArrayList<>();
    // Polls wait in a list; the delivery's CRD wait (its pause) runs them while the delivery is under way,
    // before the new Deployment is applied (the custom resource is in an earlier sync wave).
    PushDelivery engine = new PushDelivery(clients, clock, Duration.ofSeconds(5), polls::add, d -> {
      List<Runnable> due = List.copyOf(polls);
      polls.clear();
      for (Runnable poll : due) { // on a thread of its own, as the engine's poll threads are
        Thread t = new Thread(poll);
        t.start();
        t.join();
      }
      selectorsDuringTheDelivery.add(selector());
    }, Duration.ofMillis(10));
    engine.deliver(release("r1"));
    cluster.rollOutDeployments();
    engine.deliver(release("r2"));
    cluster.rollOutDeployments(); // the green copy of r2 is healthy, not switched to yet
    clock.advance(Duration.ofSeconds(6));
    engine.statuses("web");
    assertThat(polls).as("a health reading waits to run").hasSize(1);
    cluster.api().establishCrdsAfterReads(2);

    engine.deliver(release("r3", new Manifest("CustomResourceDefinition", "", "widgets.example.com", CRD),
        new Manifest("Widget", "shop", "w1", "{apiVersion: example.com/v1, kind: Widget, metadata: {name: w1, namespace: shop, "
            + "annotations: {flotilla.dev/sync-wave: '-1'}}}")));

    assertThat(selectorsDuringTheDelivery).as("the reading ran inside the delivery").isNotEmpty()
        .allSatisfy(sel -> assertThat(sel).containsEntry("flotilla.dev/color", "blue"));
    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");
    assertThat(image("web-green")).isEqualTo("web:r3");
  }

  @Test
  void anAppThatRanInPlaceKeepsItsDeploymentAndServiceUntilTheBlueCopyIsHealthyThenLosesItAfterTheDelay() throws Exception {
    push.deliver(inPlace("r1"));
    cluster.rollOutDeployments();
    assertThat(poll().health()).isEqualTo(Health.HEALTHY);
    assertThat(selector()).isEqualTo(Map.of("app", "web"));

    push.deliver(release("r2"));

    assertThat(deployment("web")).as("the in-place copy is not pruned").isNotNull();
    assertThat(image("web")).isEqualTo("web:r1");
    assertThat(image("web-blue")).isEqualTo("web:r2");
    assertThat(selector()).as("still as the in-place release left it").isEqualTo(Map.of("app", "web"));
    assertThat(inventory()).contains("Deployment shop web\n").contains("Deployment shop web-blue");
    assertThat(report().health()).isEqualTo(Health.PROGRESSING);
    assertThat(report().message()).contains("blue copy of r2").contains("Services still on the in-place Deployments");
    assertThat(poll().health()).as("the blue copy has no ready replica yet").isEqualTo(Health.PROGRESSING);
    assertThat(selector()).isEqualTo(Map.of("app", "web"));
    assertThat(deployment("web")).isNotNull();

    cluster.rollOutDeployments();
    SiteReport switched = poll();

    assertThat(selector()).containsEntry("app", "web").containsEntry("flotilla.dev/color", "blue");
    assertThat(switched.health()).isEqualTo(Health.HEALTHY);
    assertThat(deployment("web")).as("the in-place copy stays for the delay").isNotNull();

    PushDelivery restarted = engine();
    clock.advance(Duration.ofMinutes(10));
    restarted.statuses("web");

    assertThat(deployment("web")).isNull();
    assertThat(deployment("web-blue")).isNotNull();
    assertThat(inventory()).doesNotContain("Deployment shop web\n").contains("Deployment shop web-blue");
    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");
  }

  @Test
  void aRollbackWhileTheInPlaceCopyExistsSwitchesTheServiceBackToIt() throws Exception {
    cluster.api().removeFieldsLeftOut(); // the Service applied as rendered loses the color, as on a real server
    push.deliver(inPlace("r1"));
    cluster.rollOutDeployments();
    push.deliver(release("r2"));
    cluster.rollOutDeployments();
    poll();
    assertThat(selector()).containsEntry("flotilla.dev/color", "blue");

    push.deliver(release("r1"));

    assertThat(selector()).as("back on the in-place Deployment at once").isEqualTo(Map.of("app", "web"));
    assertThat(image("web")).isEqualTo("web:r1");
    assertThat(report().health()).isEqualTo(Health.HEALTHY);
    assertThat(deployment("web-blue")).as("the copy switched away from waits for the delay").isNotNull();

    clock.advance(Duration.ofMinutes(10));
    poll();
    assertThat(deployment("web-blue")).isNull();
    assertThat(deployment("web")).isNotNull();
    assertThat(selector()).isEqualTo(Map.of("app", "web"));
  }

  @Test
  void aPreviewOfTheFirstBlueGreenReleaseOfAnAppThatRanInPlaceDeletesNothing() throws Exception {
    push.deliver(inPlace("r1"));
    KubernetesApplier applier = new KubernetesApplier("dc-1", cluster.client(), KubernetesApplier.DEFAULT_INVENTORY_NAMESPACE,
        d -> {}, Duration.ofMillis(10));

    ApplyPreview preview = applier.preview("web", "r2", RenderedObjects.of(release("r2").desired()), ApplySettings.of(BLUE_GREEN));

    assertThat(preview.created()).extracting(ObjectRef::id).containsExactly("Deployment/shop/web-blue");
    assertThat(preview.unchanged()).extracting(ObjectRef::id).contains("Service/shop/web");
    assertThat(preview.deleted()).as("the in-place Deployment is kept as the old copy").isEmpty();
  }

  private static final String CRD = """
      apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      metadata: {name: widgets.example.com}
      spec:
        group: example.com
        scope: Namespaced
        names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
        versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
      """;

  private void runningR1() throws Exception {
    push.deliver(release("r1"));
    cluster.rollOutDeployments();
    assertThat(poll().health()).isEqualTo(Health.HEALTHY);
  }

  private void switchedToR2() throws Exception {
    runningR1();
    push.deliver(release("r2"));
    cluster.rollOutDeployments();
    poll();
    assertThat(selector()).containsEntry("flotilla.dev/color", "green");
  }

  /** The site's report after the health TTL has passed (so it is read again). */
  private SiteReport poll() {
    clock.advance(Duration.ofSeconds(6));
    return push.statuses("web").get(0);
  }

  private SiteReport report() {
    return push.status("dc-1", "web").orElseThrow();
  }

  private Deployment deployment(String name) {
    return cluster.client().apps().deployments().inNamespace("shop").withName(name).get();
  }

  private String image(String name) {
    return deployment(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private Map<String, String> selector() {
    return cluster.client().services().inNamespace("shop").withName("web").get().getSpec().getSelector();
  }

  private String inventory() {
    return cluster.client().configMaps().inNamespace("flotilla-system").withName("flotilla-inventory-web").get().getData().get("objects");
  }

  /** {@code revision} as a release under a policy without a strategy: applied in place. */
  private SiteRelease inPlace(String revision) {
    SiteRelease r = release(revision);
    return new SiteRelease(site, "web", revision, r.name(), r.desired(), ApplyOptions.DEFAULTS);
  }

  private SiteRelease release(String revision, Manifest... extra) {
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop, labels: {app: web}, annotations: {flotilla.dev/revision: "%1$s"}}
        spec:
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: "web:%1$s"}]
        """.formatted(revision);
    String service = """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """;
    List<Manifest> manifests = new java.util.ArrayList<>(List.of(
        new Manifest("Deployment", "shop", "web", deployment), new Manifest("Service", "shop", "web", service)));
    manifests.addAll(List.of(extra));
    DesiredState desired = new DesiredState(site.name(), "web", revision, manifests);
    return new SiteRelease(site, "web", revision, "web-" + revision, desired, BLUE_GREEN);
  }
}
