package dev.flotilla.fleet;

import java.util.Objects;

/**
 * A field of the app's objects that another controller owns and Flotilla leaves alone ({@code
 * spec.replicas} of a Deployment scaled by a HorizontalPodAutoscaler): left out of every apply and of
 * drift. {@code name} empty means every object of the kind; {@code path} is dotted keys.
 */
public record IgnoredField(String kind, String name, String path) {
  public IgnoredField {
    Objects.requireNonNull(kind, "kind");
    name = name == null ? "" : name;
    Objects.requireNonNull(path, "path");
    String problem = problemWith(path);
    if (problem != null) throw new IllegalArgumentException(problem);
  }

  /** Why {@code path} cannot be ignored, or null when it can. */
  static String problemWith(String path) {
    if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..") || path.contains("[")) {
      return "expected dotted keys like spec.replicas, got '" + Names.shorten(path) + "'";
    }
    if (path.equals("metadata") || path.equals("metadata.name") || path.equals("metadata.namespace")
        || path.equals("apiVersion") || path.equals("kind")) {
      return "the identity of an object (" + path + ") cannot be ignored";
    }
    return null;
  }
}
