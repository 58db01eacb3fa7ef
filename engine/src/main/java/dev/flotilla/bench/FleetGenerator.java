package dev.flotilla.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a synthetic fleet repo of any size for benchmarks: four tiers (datacenter, micro-dc, pop,
 * edge), two apps (pos on the first three tiers, telemetry everywhere), two site overlays and a
 * five-wave canary-then-tiers policy (health gates, a CI gate on the canary, no soak). Sites use
 * substitution values, as real fleets do. A fleet may be written with a subset of the apps, and an
 * app added later, as a release of it.
 */
public final class FleetGenerator {
  static final List<String> TIERS = List.of("datacenter", "micro-dc", "pop", "edge");
  /** The apps a generated fleet has: pos on the first three tiers, telemetry on every tier. */
  public static final List<String> APPS = List.of("pos", "telemetry");

  private FleetGenerator() {}

  /** How many sites of each tier a fleet of {@code total} sites has (about 0.2%, 2%, 30%, the rest). */
  static int[] split(int total) {
    int dc = Math.max(1, total / 500);
    int mdc = Math.max(1, total / 50);
    int pop = Math.max(1, total * 3 / 10);
    int edge = Math.max(1, total - dc - mdc - pop);
    return new int[] {dc, mdc, pop, edge};
  }

  public static void write(Path root, int totalSites) throws IOException {
    write(root, totalSites, APPS);
  }

  /** The fleet with only {@code apps} (a subset of {@link #APPS}); an empty list gives sites and policy alone. */
  public static void write(Path root, int totalSites, List<String> apps) throws IOException {
    Files.createDirectories(root);
    write(root, "fleet.yaml", """
        apiVersion: flotilla.dev/v1
        kind: Fleet
        metadata:
          name: bench
        spec:
          tiers:
            - {name: datacenter, delivery: push}
            - {name: micro-dc, delivery: push}
            - {name: pop, delivery: pull}
            - {name: edge, delivery: pull}
        """);
    int[] counts = split(totalSites);
    for (int t = 0; t < TIERS.size(); t++) {
      writeSites(root, TIERS.get(t), counts[t]);
    }
    write(root, "policies/canary-then-tiers.yaml", """
        apiVersion: flotilla.dev/v1
        kind: RolloutPolicy
        metadata:
          name: canary-then-tiers
        spec:
          waves:
            - name: canary
              selector: {matchLabels: {canary: "true"}}
              gates: {health: true, ci: [ci/build]}
            - name: central
              selector: {tiers: [datacenter, micro-dc]}
              gates: {health: true}
            - name: pop
              selector: {tiers: [pop]}
              maxUnavailable: 10%
              gates: {health: true}
            - name: edge-first
              selector: {tiers: [edge], percent: 10}
              maxUnavailable: 10%
              gates: {health: true}
            - name: edge
              selector: {tiers: [edge]}
              maxUnavailable: 10%
              completion: 90%
        """);
    for (String app : apps) addApp(root, app);
  }

  /** Adds one of the generated apps ({@code pos} or {@code telemetry}) with its site overlay, as a release of it would. */
  public static void addApp(Path root, String app) throws IOException {
    switch (app) {
      case "pos" -> {
        writeApp(root, "pos", "[datacenter, micro-dc, pop]", List.of("datacenter", "micro-dc", "pop"));
        write(root, "apps/pos/sites/pop-00001/kustomization.yaml", """
            resources: [../../overlays/pop]
            patches:
              - target: {kind: Deployment, name: pos}
                patch: |-
                  - op: replace
                    path: /spec/replicas
                    value: 3
            """);
      }
      case "telemetry" -> {
        writeApp(root, "telemetry", "[datacenter, micro-dc, pop, edge]", TIERS);
        write(root, "apps/telemetry/sites/edge-00001/kustomization.yaml", """
            resources: [../../overlays/edge]
            commonAnnotations:
              flotilla.dev/note: pilot-gateway
            """);
      }
      default -> throw new IllegalArgumentException("the generator knows the apps " + APPS + ", not " + app);
    }
  }

  private static void writeSites(Path root, String tier, int count) throws IOException {
    StringBuilder b = new StringBuilder();
    boolean push = tier.equals("datacenter") || tier.equals("micro-dc");
    String prefix = tier.equals("micro-dc") ? "mdc" : tier.equals("datacenter") ? "dc" : tier;
    for (int i = 1; i <= count; i++) {
      String name = "%s-%05d".formatted(prefix, i);
      b.append("apiVersion: flotilla.dev/v1\nkind: Site\nmetadata:\n  name: ").append(name).append('\n')
          .append("  labels:\n    region: ").append(i % 2 == 0 ? "eu-west" : "eu-central").append('\n');
      if (i == 1) b.append("    canary: \"true\"\n");
      b.append("spec:\n  tier: ").append(tier).append("\n  timezone: ").append(i % 2 == 0 ? "Europe/Paris" : "Europe/Berlin")
          .append("\n  values:\n    STORE_ID: \"").append(i).append("\"\n    REGION: ")
          .append(i % 2 == 0 ? "eu-west" : "eu-central").append('\n');
      if (push) {
        b.append("  cluster:\n    kubeconfig: /etc/flotilla/kubeconfigs/").append(name).append(".yaml\n    context: ")
            .append(name).append('\n');
      }
      b.append("---\n");
      // Files of at most SITES_PER_FILE sites: a real fleet splits its sites too, and one file stays
      // far below the per-file read limit (4 MiB) at 100,000 sites.
      if (i % SITES_PER_FILE == 0 && i < count) {
        write(root, "sites/" + tier + "-" + (i / SITES_PER_FILE) + ".yaml", b.toString());
        b.setLength(0);
      }
    }
    write(root, "sites/" + tier + (count > SITES_PER_FILE ? "-" + (count / SITES_PER_FILE + (count % SITES_PER_FILE == 0 ? 0 : 1)) : "")
        + ".yaml", b.toString());
  }

  static final int SITES_PER_FILE = 5_000;

  private static void writeApp(Path root, String app, String tiers, List<String> overlays) throws IOException {
    write(root, "apps/" + app + "/app.yaml", """
        apiVersion: flotilla.dev/v1
        kind: App
        metadata:
          name: %s
        spec:
          targets: {tiers: %s}
          policy: canary-then-tiers
        """.formatted(app, tiers));
    write(root, "apps/" + app + "/base/kustomization.yaml", "resources: [deployment.yaml, service.yaml, config.yaml, account.yaml]\n");
    write(root, "apps/" + app + "/base/deployment.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
        spec:
          replicas: 1
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              serviceAccountName: %1$s
              containers:
                - name: %1$s
                  image: registry.example.com/%1$s:1.0.0
                  env:
                    - {name: SITE, value: "${SITE_NAME}"}
                    - {name: STORE_ID, value: "${STORE_ID:=0}"}
                  resources: {requests: {cpu: 100m, memory: 128Mi}}
        """.formatted(app));
    write(root, "apps/" + app + "/base/service.yaml", """
        apiVersion: v1
        kind: Service
        metadata:
          name: %1$s
        spec:
          selector: {app: %1$s}
          ports: [{port: 80, targetPort: 8080}]
        """.formatted(app));
    write(root, "apps/" + app + "/base/config.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %1$s-config
        data:
          site: "${SITE_NAME}"
          tier: "${SITE_TIER}"
          region: "${REGION:=unknown}"
          log-level: info
        """.formatted(app));
    write(root, "apps/" + app + "/base/account.yaml", """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: %s
        """.formatted(app));
    for (String tier : overlays) {
      write(root, "apps/" + app + "/overlays/" + tier + "/kustomization.yaml", """
          resources: [../../base]
          namespace: %s
          commonLabels:
            tier-profile: %s
          """.formatted(app, tier));
    }
  }

  /** Changes one tier overlay, as a commit touching a single overlay would. */
  public static String touchOverlay(Path root, String app, String tier, String imageTag) throws IOException {
    String rel = "apps/" + app + "/overlays/" + tier + "/kustomization.yaml";
    Path file = root.resolve(rel);
    Files.writeString(file, Files.readString(file) + "images:\n  - name: registry.example.com/" + app + "\n    newTag: " + imageTag + "\n");
    return rel;
  }

  private static void write(Path root, String rel, String content) throws IOException {
    Path file = root.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
