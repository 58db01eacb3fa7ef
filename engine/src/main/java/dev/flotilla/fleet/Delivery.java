package dev.flotilla.fleet;

import java.util.Locale;

/** How a site receives releases: pushed through the Kubernetes API, or pulled as signed bundles. */
public enum Delivery {
  PUSH,
  PULL;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Delivery parse(String word) {
    return switch (word) {
      case "push" -> PUSH;
      case "pull" -> PULL;
      default -> throw new IllegalArgumentException("expected push or pull, got '" + Names.shorten(word) + "'");
    };
  }
}
