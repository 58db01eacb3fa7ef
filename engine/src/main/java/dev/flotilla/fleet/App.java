package dev.flotilla.fleet;

import java.util.Objects;

/** A Kustomize base with one overlay per targeted tier, rolled out by the named policy. */
public record App(String name, SiteSelector targets, String policy) {
  public App {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(policy, "policy");
  }

  /** The app's folder in the fleet repo. */
  public String dir() {
    return "apps/" + name;
  }
}
