package dev.flotilla.delivery;

import java.time.Instant;
import java.util.Objects;

/**
 * What a site last reported for one app. {@code revision} is the revision the site runs now (the
 * one it tried, when {@code health} is {@link Health#FAILED}), null if it runs none. {@code
 * online} is false when the site is not reachable now; the other fields are then what it reported
 * before, and {@code observedAt} is when it was last heard from.
 */
public record SiteReport(
    String site, String app, String revision, Health health, boolean online, Instant observedAt, String message) {
  public SiteReport {
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(observedAt, "observedAt");
    message = message == null ? "" : message;
  }
}
