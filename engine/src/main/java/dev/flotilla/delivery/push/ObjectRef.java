package dev.flotilla.delivery.push;

import java.util.Map;
import java.util.Objects;

/**
 * Which Kubernetes object: enough to find it on a cluster ({@code apiVersion}, {@code kind}, {@code
 * namespace}, {@code name}); {@code namespace} is empty for cluster-scoped objects.
 */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {
  public ObjectRef {
    Objects.requireNonNull(apiVersion, "apiVersion");
    Objects.requireNonNull(kind, "kind");
    namespace = namespace == null ? "" : namespace;
    Objects.requireNonNull(name, "name");
  }

  /** The reference of an object given as maps; missing fields read as empty (the API server names them). */
  static ObjectRef of(Map<String, ?> object) {
    Map<?, ?> metadata = object.get("metadata") instanceof Map<?, ?> m ? m : Map.of();
    return new ObjectRef(text(object.get("apiVersion")), text(object.get("kind")),
        text(metadata.get("namespace")), text(metadata.get("name")));
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  /** The API group, empty for the core group ({@code v1}). */
  public String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  /** {@code Kind/namespace/name}, the same key as {@code Manifest.id()} of the render. */
  public String id() {
    return kind + "/" + namespace + "/" + name;
  }

  @Override
  public String toString() {
    return id();
  }
}
