package dev.flotilla.engine.view;

import java.time.Instant;
import java.util.Map;

/** A site with the revision each app runs there and its health ({@code GET /api/v1/sites}). */
public record SiteView(String site, String tier, String delivery, Map<String, AppStatus> apps) {

  /** What one app runs at the site, as last reported, and what its last drift check found (null: not checked). */
  public record AppStatus(String revision, String health, boolean online, Instant observedAt, DriftView drift) {
    public AppStatus(String revision, String health, boolean online, Instant observedAt) {
      this(revision, health, online, observedAt, null);
    }
  }
}
