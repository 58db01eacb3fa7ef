package dev.flotilla.render;

import java.util.Objects;

/**
 * One rendered Kubernetes object for one site: its identity and its YAML (one document, no {@code
 * ---}). {@code namespace} is empty for cluster-scoped objects and objects without one.
 */
public record Manifest(String kind, String namespace, String name, String yaml) {
  public Manifest {
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(yaml, "yaml");
  }

  /** {@code Kind/namespace/name}, the key by which plans and diffs match objects. */
  public String id() {
    return id(kind, namespace, name);
  }

  static String id(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }
}
