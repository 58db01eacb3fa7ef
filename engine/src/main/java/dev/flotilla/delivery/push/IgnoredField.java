package dev.flotilla.delivery.push;

import java.util.Objects;

/**
 * A field another controller owns, left out of what Flotilla applies so that the two do not fight:
 * {@code spec.replicas} of a Deployment scaled by a HorizontalPodAutoscaler. {@code name} empty
 * means every object of the kind; {@code path} is a dotted path through maps.
 */
public record IgnoredField(String kind, String name, String path) {
  public IgnoredField {
    Objects.requireNonNull(kind, "kind");
    name = name == null ? "" : name;
    Objects.requireNonNull(path, "path");
    if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
      throw new IllegalArgumentException("ignored field path must be dotted keys like spec.replicas, got \"" + path + "\"");
    }
    if (path.equals("metadata") || path.equals("metadata.name") || path.equals("metadata.namespace")
        || path.equals("apiVersion") || path.equals("kind")) {
      throw new IllegalArgumentException("the identity of an object cannot be ignored: " + path);
    }
  }

  boolean matches(ObjectRef ref) {
    return kind.equals(ref.kind()) && (name.isEmpty() || name.equals(ref.name()));
  }
}
