package dev.flotilla.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * The newest status a site reported for an app: the revision it runs, whether that is healthy,
 * whether the update failed, and when it was observed. A pull site that is offline simply has no
 * fresh observation. {@code detail} is free text for people (why it failed), may be empty.
 */
public record SiteObservation(
    String site, String app, String revision, boolean healthy, boolean failed, Instant observedAt, String detail) {

  public SiteObservation {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(revision, "revision");
    Objects.requireNonNull(observedAt, "observedAt");
    detail = detail == null ? "" : detail;
  }

  public SiteObservation(String site, String app, String revision, boolean healthy, boolean failed, Instant observedAt) {
    this(site, app, revision, healthy, failed, observedAt, "");
  }
}
