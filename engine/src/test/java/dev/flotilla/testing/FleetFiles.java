package dev.flotilla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes fleet repo files into a folder for tests. {@link #minimal} lays down a small valid fleet
 * (two tiers, three sites, one app, one policy) that tests then break one rule at a time.
 */
public final class FleetFiles {
  private final Path root;

  public FleetFiles(Path root) {
    this.root = root;
  }

  public Path root() {
    return root;
  }

  public FleetFiles write(String relative, String content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FleetFiles delete(String relative) {
    try {
      Files.delete(root.resolve(relative));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static FleetFiles minimal(Path root) {
    return new FleetFiles(root)
        .write("fleet.yaml", """
            apiVersion: flotilla.dev/v1
            kind: Fleet
            metadata:
              name: shop
            spec:
              tiers:
                - name: hub
                  delivery: push
                - name: edge
                  delivery: pull
              windows:
                - name: night
                  cron: "0 0 2 ? * *"
                  duration: 3h
            """)
        .write("sites/sites.yaml", """
            apiVersion: flotilla.dev/v1
            kind: Site
            metadata:
              name: hub-1
              labels:
                canary: "true"
            spec:
              tier: hub
              timezone: Europe/Paris
              cluster:
                kubeconfig: /etc/kube/hub-1.yaml
                context: hub-1
            ---
            apiVersion: flotilla.dev/v1
            kind: Site
            metadata:
              name: edge-1
            spec:
              tier: edge
              timezone: America/New_York
              values:
                GREETING: hello
            ---
            apiVersion: flotilla.dev/v1
            kind: Site
            metadata:
              name: edge-2
            spec:
              tier: edge
              timezone: Asia/Tokyo
            """)
        .write("policies/default.yaml", """
            apiVersion: flotilla.dev/v1
            kind: RolloutPolicy
            metadata:
              name: default
            spec:
              waves:
                - name: canary
                  selector:
                    matchLabels:
                      canary: "true"
                  gates:
                    health: true
                    soak: 5m
                - name: rest
                  selector: {}
                  maxUnavailable: 50%
                  gates:
                    window: night
            """)
        .write("apps/web/app.yaml", """
            apiVersion: flotilla.dev/v1
            kind: App
            metadata:
              name: web
            spec:
              targets: {}
              policy: default
            """)
        .write("apps/web/base/kustomization.yaml", """
            resources:
              - configmap.yaml
            """)
        .write("apps/web/base/configmap.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web
            data:
              greeting: ${GREETING:=hi}
              site: ${SITE_NAME}
            """)
        .write("apps/web/overlays/hub/kustomization.yaml", """
            resources:
              - ../../base
            namespace: web
            """)
        .write("apps/web/overlays/edge/kustomization.yaml", """
            resources:
              - ../../base
            namespace: web-edge
            """);
  }
}
