package dev.flotilla.fleet;

import java.util.Objects;

/**
 * A Kustomize base with one overlay per targeted tier, rolled out by the named policy, and applied
 * with its {@link ApplyOptions}.
 */
public record App(String name, SiteSelector targets, String policy, ApplyOptions apply) {
  public App {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(policy, "policy");
    apply = apply == null ? ApplyOptions.DEFAULTS : apply;
  }

  /** An app applied with the default options. */
  public App(String name, SiteSelector targets, String policy) {
    this(name, targets, policy, ApplyOptions.DEFAULTS);
  }

  /** The app's folder in the fleet repo. */
  public String dir() {
    return "apps/" + name;
  }
}
