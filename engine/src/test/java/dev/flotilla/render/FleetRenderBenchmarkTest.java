package dev.flotilla.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flotilla.fleet.App;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Fleet;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.Site;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stamping a large fleet stays fast: 10,000 sites × 2 apps × 5 objects, two of them with variables. */
class FleetRenderBenchmarkTest {
  private static final List<String> TIERS = List.of("datacenter", "micro-dc", "pop", "edge");
  private static final String OUTPUT = """
      apiVersion: v1
      kind: Namespace
      metadata:
        name: shop
      ---
      apiVersion: v1
      data:
        region: ${REGION:=eu-west}
        store: ${STORE_ID}
      kind: ConfigMap
      metadata:
        name: settings
        namespace: shop
      ---
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        namespace: shop
      spec:
        ports:
        - port: 80
          targetPort: 8080
        selector:
          app: web
      ---
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        labels:
          app: web
        name: web
        namespace: shop
      spec:
        replicas: 2
        selector:
          matchLabels:
            app: web
        template:
          metadata:
            labels:
              app: web
          spec:
            containers:
            - env:
              - name: SITE
                value: ${SITE_NAME}
              image: registry.example/web:1.4.2
              name: web
              ports:
              - containerPort: 8080
              resources:
                limits:
                  memory: 256Mi
                requests:
                  cpu: 100m
      ---
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata:
        name: web
        namespace: shop
      spec:
        minAvailable: 1
        selector:
          matchLabels:
            app: web
      """;

  @TempDir Path root;

  @Test
  void stampsTenThousandSitesOfTwoAppsWellWithinTenSeconds() throws Exception {
    FleetModel model = fleetOf(10_000, List.of("pos", "telemetry"));
    FakeRenderer kustomize = new FakeRenderer(overlay -> OUTPUT);

    RenderResult result;
    RenderResult warm;
    try (FleetRenderer renderer = new FleetRenderer(kustomize, RenderCache.inMemory())) {
      result = renderer.render(model, root, "3f2a1c0d9e8b"); // cold: includes class loading and JIT warm-up
      warm = renderer.render(model, root, "4e3b2d1c0f9a");
    }

    System.out.printf("render benchmark: %d desired states, %d manifests: cold %d ms, warm %d ms on %d cores%n",
        result.size(), result.size() * 5, result.stats().elapsed().toMillis(), warm.stats().elapsed().toMillis(),
        Runtime.getRuntime().availableProcessors());
    assertThat(result.size()).isEqualTo(20_000);
    assertThat(result.stats().overlays()).isEqualTo(8);
    assertThat(result.state("telemetry", "site-09999").orElseThrow().yaml()).contains("store: S09999");
    assertThat(result.stats().elapsed()).isLessThan(Duration.ofSeconds(10));
  }

  private FleetModel fleetOf(int siteCount, List<String> apps) throws Exception {
    List<Site> sites = new ArrayList<>();
    for (int i = 0; i < siteCount; i++) {
      String name = "site-%05d".formatted(i);
      sites.add(Sites.site(name, TIERS.get(i % TIERS.size()), Map.of("STORE_ID", "S%05d".formatted(i))));
    }
    List<App> appList = new ArrayList<>();
    for (String app : apps) {
      appList.add(new App(app, SiteSelector.ALL, "everyone"));
      for (String tier : TIERS) {
        Path overlay = root.resolve("apps/" + app + "/overlays/" + tier);
        Files.createDirectories(overlay);
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources: []\n");
      }
    }
    Fleet fleet = new Fleet("big", TIERS.stream().map(t -> new Tier(t, Delivery.PULL)).toList(), null, null);
    return new FleetModel(fleet, sites, appList, List.of(), Map.of());
  }
}
