package dev.flotilla.delivery;

import dev.flotilla.fleet.ApplyOptions;
import dev.flotilla.fleet.Site;
import dev.flotilla.render.DesiredState;
import java.util.Objects;

/**
 * One release (an app at a revision) addressed to one site, as part of a rollout: what {@link
 * Delivery#deliver} carries. The desired state must be the one rendered for this very site, app
 * and revision; a mismatch is a bug in the caller and is rejected at once. {@code apply} are the
 * app's options at that revision (force conflicts, allow an empty render, ignored fields).
 */
public record SiteRelease(Site site, String app, String revision, String rolloutId, DesiredState desired, ApplyOptions apply) {
  /** A release of an app applied with the default options. */
  public SiteRelease(Site site, String app, String revision, String rolloutId, DesiredState desired) {
    this(site, app, revision, rolloutId, desired, ApplyOptions.DEFAULTS);
  }

  public SiteRelease {
    apply = apply == null ? ApplyOptions.DEFAULTS : apply;
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(rolloutId, "rolloutId");
    Objects.requireNonNull(desired, "desired");
    if (!desired.site().equals(site.name()) || !desired.app().equals(app) || !desired.revision().equals(revision)) {
      throw new IllegalArgumentException("release " + app + "@" + revision + " for site " + site.name()
          + " carries the desired state of " + desired.app() + "@" + desired.revision() + " for site " + desired.site());
    }
  }

  /** {@code app@revision}, the way logs and messages name a release. */
  public String name() {
    return app + "@" + revision;
  }
}
