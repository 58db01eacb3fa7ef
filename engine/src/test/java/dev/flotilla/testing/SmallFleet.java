package dev.flotilla.testing;

import java.util.List;

/**
 * A small fleet for engine tests: three push hubs and four pull edge sites, one app {@code web}
 * whose image tag marks each release, and a three-wave policy (canary hub-1 with health and a 1m
 * soak, the hubs one at a time, the edge half at a time) that rolls back on failure.
 */
public final class SmallFleet {
  private SmallFleet() {}

  public static void write(GitFixture git) {
    git.write("fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata: {name: shop}
        spec:
          tiers:
            - {name: hub, delivery: push}
            - {name: edge, delivery: pull}
        """).write("policies/default.yaml", """
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
              gates: {health: true}
            - name: edge
              selector: {tiers: [edge]}
              maxUnavailable: 50%
        """);
    StringBuilder sites = new StringBuilder();
    for (String hub : List.of("hub-1", "hub-2", "hub-3")) {
      sites.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: ").append(hub).append("}\n")
          .append("spec:\n  tier: hub\n  timezone: Europe/Paris\n  cluster: {kubeconfig: /k/").append(hub).append("}\n---\n");
    }
    for (int i = 1; i <= 4; i++) {
      sites.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata: {name: edge-").append(i).append("}\n")
          .append("spec: {tier: edge, timezone: Asia/Tokyo}\n---\n");
    }
    git.write("sites/sites.yaml", sites.toString())
        .write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n")
        .write("apps/web/base/kustomization.yaml", "resources: [deploy.yaml]\n")
        .write("apps/web/base/deploy.yaml", deployment("1.0"))
        .write("apps/web/overlays/hub/kustomization.yaml", "resources: [../../base]\nnamespace: web\n")
        .write("apps/web/overlays/edge/kustomization.yaml", "resources: [../../base]\nnamespace: web-edge\n");
  }

  public static String deployment(String tag) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n"
        + "      - name: web\n        image: registry.example.com/web:" + tag + "\n";
  }
}
