package dev.flotilla.engine.view;

import java.time.Instant;
import java.util.List;

/**
 * A rollout as the REST API shows it ({@code GET /api/v1/rollouts[/{id}]}) and the CLI reads it:
 * its waves with counts per site status and the gate each waits on; {@code sites} only in the
 * single-rollout view.
 */
public record RolloutView(
    String id,
    String app,
    String revision,
    String kind,
    String state,
    String reason,
    int currentWave,
    Instant createdAt,
    String waitingOn,
    List<WaveView> waves,
    List<SiteTargetView> sites) {

  /** One wave: how many of its sites are done, updating, failed, pending, and pending while offline. */
  public record WaveView(
      String name,
      String phase,
      int total,
      int done,
      int updating,
      int failed,
      int pending,
      int offline,
      String gate,
      Instant startedAt,
      Instant completedAt) {}

  /**
   * One site of the rollout; {@code drift} is what the last drift check of the rollout's release
   * there found (null when the site was not checked with this release).
   */
  public record SiteTargetView(String site, String wave, String status, Instant sentAt, Instant doneAt, String message,
      DriftView drift) {
    public SiteTargetView(String site, String wave, String status, Instant sentAt, Instant doneAt, String message) {
      this(site, wave, status, sentAt, doneAt, message, null);
    }
  }
}
