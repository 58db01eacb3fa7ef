package dev.flotilla.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.testing.FleetFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetLoaderTest {
  @TempDir Path dir;

  @Test
  void loadsEveryKindOfDeclaration() throws Exception {
    FleetModel model = FleetLoader.load(FleetFiles.minimal(dir).root());

    assertThat(model.fleet().tiers()).containsExactly(new Tier("hub", Delivery.PUSH), new Tier("edge", Delivery.PULL));
    assertThat(model.fleet().windows().get("night").duration()).isEqualTo(Duration.ofHours(3));
    assertThat(model.sites()).extracting(Site::name).containsExactly("edge-1", "edge-2", "hub-1");
    Site hub = model.site("hub-1").orElseThrow();
    assertThat(hub.delivery()).isEqualTo(Delivery.PUSH);
    assertThat(hub.cluster()).isEqualTo(new Cluster("/etc/kube/hub-1.yaml", "hub-1"));
    assertThat(hub.labels()).containsEntry("canary", "true");
    assertThat(model.site("edge-1").orElseThrow().timezone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(model.site("edge-1").orElseThrow().values()).containsEntry("GREETING", "hello");
    RolloutPolicy policy = model.policy("default").orElseThrow();
    assertThat(policy.waves()).extracting(WaveSpec::name).containsExactly("canary", "rest");
    assertThat(policy.waves().get(0).gates().soak()).isEqualTo(Duration.ofMinutes(5));
    assertThat(policy.waves().get(1).maxUnavailable()).isEqualTo(Quantity.percentOf(50));
    assertThat(model.app("web").orElseThrow().policy()).isEqualTo("default");
  }

  @Test
  void siteDeliveryOverridesTheTierDefault() throws Exception {
    FleetFiles files = FleetFiles.minimal(dir).write("sites/extra.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          delivery: push
          timezone: UTC
          cluster:
            kubeconfig: /k
        """);
    FleetModel model = FleetLoader.load(files.root());

    assertThat(model.site("edge-9").orElseThrow().delivery()).isEqualTo(Delivery.PUSH);
  }

  @Test
  void recordsSiteOverlaysOfTargetedSites() throws Exception {
    FleetFiles files = FleetFiles.minimal(dir).write("apps/web/sites/edge-2/kustomization.yaml", "resources: [../../overlays/edge]\n");

    FleetModel model = FleetLoader.load(files.root());

    assertThat(model.hasSiteOverlay("web", "edge-2")).isTrue();
    assertThat(model.hasSiteOverlay("web", "edge-1")).isFalse();
  }

  @Test
  void emptyDocumentsAreSkippedAsKubectlDoes() throws Exception {
    FleetFiles files = FleetFiles.minimal(dir).write("sites/extra.yaml", """
        ---
        apiVersion: flotilla.dev/v1
        kind: Site
        metadata:
          name: edge-9
        spec:
          tier: edge
          timezone: UTC
        ---
        ---
        """);

    assertThat(FleetLoader.load(files.root()).site("edge-9")).isPresent();
  }
}
