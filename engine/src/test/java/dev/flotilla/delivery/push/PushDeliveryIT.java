package dev.flotilla.delivery.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import dev.flotilla.delivery.SteppedClock;
import dev.flotilla.fleet.ApplyOptions;
import dev.flotilla.fleet.Cluster;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.IgnoredField;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import dev.flotilla.render.Manifest;
import dev.flotilla.testing.MockCluster;
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
 * The push adapter against one mock API server in CRUD mode (taught server-side apply): the site's
 * client comes from a kubeconfig in the engine's kubeconfig folder, as in production.
 */
class PushDeliveryIT {
  private static final String WEB = "/apis/apps/v1/namespaces/shop/deployments/web";

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
    // Polls run on the caller's thread here, so a test reads their result at once.
    push = new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10));
  }

  @AfterEach
  void stop() {
    clients.close();
    http.close();
    cluster.close();
  }

  @Test
  void deliverAppliesTheRenderedObjectsAndReportsTheirHealthUntilTheyAreReady() throws Exception {
    push.deliver(release("r1", 3, ApplyOptions.DEFAULTS));

    assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas()).isEqualTo(3);
    assertThat(cluster.api().managerOf(WEB, "spec.replicas")).isEqualTo("flotilla");
    SiteReport applied = push.status("dc-1", "web").orElseThrow();
    assertThat(applied.revision()).isEqualTo("r1");
    assertThat(applied.health()).isEqualTo(Health.PROGRESSING);
    assertThat(applied.message()).contains("Deployment/shop/web");

    cluster.rollOutDeployments();
    assertThat(push.statuses("web")).extracting(SiteReport::health).as("within the TTL: the last answer").containsExactly(Health.PROGRESSING);
    clock.advance(Duration.ofSeconds(6));
    assertThat(push.statuses("web")).singleElement().satisfies(r -> {
      assertThat(r.health()).isEqualTo(Health.HEALTHY);
      assertThat(r.revision()).isEqualTo("r1");
      assertThat(r.site()).isEqualTo("dc-1");
    });
  }

  @Test
  void healthIsReadOnlyFromTheObjectsFlotillaApplied() throws Exception {
    push.deliver(release("r1", 1, ApplyOptions.DEFAULTS));
    int before = cluster.api().requests().size();
    clock.advance(Duration.ofSeconds(6));

    push.statuses("web");

    List<String> polls = cluster.api().requests().subList(before, cluster.api().requests().size());
    assertThat(polls).as("one GET of the inventory and one of each applied object, no list or watch")
        .containsExactly("GET /api/v1/namespaces/flotilla-system/configmaps/flotilla-inventory-web", "GET " + WEB);
  }

  @Test
  void anObjectTheApiServerRefusesFailsTheSiteWithItsMessageAndIsNotRetried() {
    cluster.api().refuseApplies(p -> p.equals(WEB), "Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value",
        "spec.template.spec.containers[0].image");

    assertThatThrownBy(() -> push.deliver(release("r1", 1, ApplyOptions.DEFAULTS)))
        .asInstanceOf(type(DeliveryException.class))
        .satisfies(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.reason()).contains("Deployment/shop/web").contains("spec.template.spec.containers[0].image").contains("invalid");
        });
    SiteReport failed = push.status("dc-1", "web").orElseThrow();
    assertThat(failed.health()).isEqualTo(Health.FAILED);
    assertThat(failed.revision()).isEqualTo("r1");
    assertThat(failed.message()).contains("Deployment/shop/web").contains("Required value");
  }

  @Test
  void anUnreachableSiteIsARetryableFailure() {
    cluster.stop();

    assertThatThrownBy(() -> push.deliver(release("r1", 1, ApplyOptions.DEFAULTS)))
        .asInstanceOf(type(DeliveryException.class))
        .satisfies(e -> {
          assertThat(e.retryable()).isTrue();
          assertThat(e.site()).isEqualTo("dc-1");
        });
    assertThat(push.status("dc-1", "web")).isEmpty();
  }

  @Test
  void theAppsOptionsReachTheApplier() throws Exception {
    cluster.client().apps().deployments().inNamespace("shop").resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("shop").endMetadata().withNewSpec().withReplicas(7).endSpec().build()).create();
    ApplyOptions ignoreReplicas = new ApplyOptions(false, false, List.of(new IgnoredField("Deployment", "", "spec.replicas")));

    push.deliver(release("r1", 3, ignoreReplicas));

    assertThat(cluster.client().apps().deployments().inNamespace("shop").withName("web").get().getSpec().getReplicas())
        .as("spec.replicas is left to the autoscaler").isEqualTo(7);
  }

  @Test
  void aBadKubeconfigFailsTheSiteNamingTheField() {
    Site lost = new Site("dc-9", Map.of(), "datacenter", Delivery.PUSH, ZoneId.of("UTC"), Map.of(), new Cluster("nowhere.yaml", "dc-9"));

    assertThatThrownBy(() -> push.deliver(release(lost, "r1", 1, ApplyOptions.DEFAULTS)))
        .asInstanceOf(type(DeliveryException.class))
        .satisfies(e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.reason()).contains("spec.cluster.kubeconfig").contains("nowhere.yaml");
        });
  }

  @Test
  void afterARestartTheSitesDeliveredToBeforeAreReadAgain() throws Exception {
    Path journal = kubeconfigs.resolve("push-sites.jsonl");
    new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10), journal)
        .deliver(release("r1", 2, ApplyOptions.DEFAULTS));
    cluster.rollOutDeployments();

    PushDelivery restarted = new PushDelivery(clients, clock, Duration.ofSeconds(5), Runnable::run, d -> {}, Duration.ofMillis(10), journal);

    assertThat(restarted.statuses("web")).singleElement().satisfies(r -> {
      assertThat(r.site()).isEqualTo("dc-1");
      assertThat(r.revision()).isEqualTo("r1");
      assertThat(r.health()).as("read again at once, not the report of before the restart").isEqualTo(Health.HEALTHY);
    });
  }

  private SiteRelease release(String revision, int replicas, ApplyOptions options) {
    return release(site, revision, replicas, options);
  }

  private static SiteRelease release(Site target, String revision, int replicas, ApplyOptions options) {
    String yaml = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: %d
          template:
            spec:
              containers: [{name: web, image: "registry.example/web:%s"}]
        """.formatted(replicas, revision);
    DesiredState desired = new DesiredState(target.name(), "web", revision, List.of(new Manifest("Deployment", "shop", "web", yaml)));
    return new SiteRelease(target, "web", revision, "web-" + revision, desired, options);
  }
}
