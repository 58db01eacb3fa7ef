package dev.flotilla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fleet of push sites, each on its own mock API server: data centers {@code dc-1 … dc-N} whose
 * {@code spec.cluster} names {@code dc-i.yaml} (context {@code dc-i}) in the engine's kubeconfig
 * folder, one app {@code web} (a Namespace and a Deployment whose image tag marks each release) and
 * a two-wave policy: the canary {@code dc-1}, then every data center; both gated on health, with a
 * progress deadline of 5 minutes and one failed site allowed in the second wave.
 */
public final class PushFleet {
  public static final String DEFAULT_POLICY = """
      apiVersion: flotilla.dev/v1
      kind: RolloutPolicy
      metadata: {name: default}
      spec:
        waves:
          - name: canary
            selector: {names: [dc-1]}
            progressDeadline: 5m
            gates: {health: true}
          - name: datacenters
            selector: {tiers: [datacenter]}
            failureThreshold: 1
            progressDeadline: 5m
            gates: {health: true}
      """;

  private PushFleet() {}

  /** Writes the fleet for {@code sites} data centers into {@code git} with {@code policy}. */
  public static void write(GitFixture git, int sites, String policy) {
    StringBuilder siteFiles = new StringBuilder();
    for (int i = 1; i <= sites; i++) {
      siteFiles.append("""
          apiVersion: flotilla.dev/v1
          kind: Site
          metadata: {name: dc-%1$d}
          spec:
            tier: datacenter
            timezone: Europe/Paris
            cluster: {kubeconfig: dc-%1$d.yaml, context: dc-%1$d}
          ---
          """.formatted(i));
    }
    git.write("fleet.yaml", """
            apiVersion: flotilla.dev/v1
            kind: Fleet
            metadata: {name: shop}
            spec:
              tiers:
                - {name: datacenter, delivery: push}
            """)
        .write("policies/default.yaml", policy)
        .write("sites/sites.yaml", siteFiles.toString())
        .write("apps/web/app.yaml", "apiVersion: flotilla.dev/v1\nkind: App\nmetadata: {name: web}\nspec:\n  targets: {}\n  policy: default\n")
        .write("apps/web/base/kustomization.yaml", "resources: [namespace.yaml, deploy.yaml]\n")
        .write("apps/web/base/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n")
        .write("apps/web/base/deploy.yaml", deployment("1.0"))
        .write("apps/web/overlays/datacenter/kustomization.yaml", "resources: [../../base]\nnamespace: web\n");
  }

  public static String deployment(String tag) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n"
        + "      - name: web\n        image: registry.example.com/web:" + tag + "\n";
  }

  /** Writes {@code dc-i.yaml} into {@code folder} for each cluster, {@code clusters.get(i - 1)} answering for {@code dc-i}. */
  public static void kubeconfigs(Path folder, List<MockCluster> clusters) {
    try {
      Files.createDirectories(folder);
      for (int i = 1; i <= clusters.size(); i++) {
        Files.writeString(folder.resolve("dc-" + i + ".yaml"), clusters.get(i - 1).kubeconfig("dc-" + i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("write kubeconfigs into " + folder, e);
    }
  }
}
