package dev.flotilla.render;

import dev.flotilla.fleet.App;
import dev.flotilla.fleet.Delivery;
import dev.flotilla.fleet.Fleet;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.SiteSelector;
import dev.flotilla.fleet.Tier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small fleet repo on disk: app {@code pos} with a base, overlays for tiers {@code pop} and
 * {@code edge}, and a site overlay for {@code store-0003}; five sites, three pop and two edge.
 * Three distinct overlays serve the five sites.
 */
final class FleetRepoFixture {
  static final String BASE = "apps/pos/base";
  static final String POP = "apps/pos/overlays/pop";
  static final String EDGE = "apps/pos/overlays/edge";
  static final String STORE_3 = "apps/pos/sites/store-0003";

  final Path root;

  FleetRepoFixture(Path root) {
    this.root = root;
    write(BASE + "/kustomization.yaml", """
        resources:
        - deployment.yaml
        - service.yaml
        """);
    write(BASE + "/deployment.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: pos
        spec:
          replicas: 1
          selector:
            matchLabels: {app: pos}
          template:
            metadata:
              labels: {app: pos}
            spec:
              containers:
              - name: pos
                image: registry.example/pos:1.0
                env:
                - name: STORE_ID
                  value: "${STORE_ID:=none}"
                - name: SITE
                  value: "${SITE_NAME}"
        """);
    write(BASE + "/service.yaml", """
        apiVersion: v1
        kind: Service
        metadata:
          name: pos
        spec:
          selector: {app: pos}
          ports:
          - port: 80
        """);
    write(POP + "/kustomization.yaml", """
        namespace: pos
        resources:
        - ../../base
        patches:
        - path: replicas.yaml
        """);
    write(POP + "/replicas.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: pos
        spec:
          replicas: 2
        """);
    write(EDGE + "/kustomization.yaml", """
        namespace: pos
        resources:
        - ../../base
        configMapGenerator:
        - name: pos-edge
          files:
          - edge.properties
        generatorOptions:
          disableNameSuffixHash: true
        """);
    write(EDGE + "/edge.properties", "offline=true\n");
    write(STORE_3 + "/kustomization.yaml", """
        resources:
        - ../../overlays/pop
        patches:
        - patch: |-
            - op: replace
              path: /spec/replicas
              value: 3
          target:
            kind: Deployment
            name: pos
        """);
  }

  FleetModel model() {
    Fleet fleet = new Fleet("retail", List.of(new Tier("pop", Delivery.PUSH), new Tier("edge", Delivery.PULL)), null, null);
    return new FleetModel(
        fleet,
        List.of(
            Sites.site("gw-0001", "edge", Map.of("STORE_ID", "g1")),
            Sites.site("gw-0002", "edge"),
            Sites.site("store-0001", "pop", Map.of("STORE_ID", "0001")),
            Sites.site("store-0002", "pop", Map.of("STORE_ID", "0002")),
            Sites.site("store-0003", "pop", Map.of("STORE_ID", "0003"))),
        List.of(new App("pos", SiteSelector.ALL, "canary-then-tiers")),
        List.of(),
        Map.of("pos", Set.of("store-0003")));
  }

  Path dir(String relative) {
    return root.resolve(relative);
  }

  void write(String relative, String content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write fixture file " + relative, e);
    }
  }
}
