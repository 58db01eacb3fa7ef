package dev.flotilla.rollout;

import java.time.Instant;
import java.util.Objects;

/**
 * One site's progress in a rollout. {@code sentAt} is when the update was sent; {@code doneAt} the
 * time of the first observation after it that reported this release; {@code lastSeenAt} the newest
 * observation of the site for the app, any revision, made while it was updating (a pull site silent
 * since {@code sentAt} is offline as far as the rollout knows); {@code healthy} the last reported health, null before any.
 */
public record SiteProgress(
    SiteStatus status, Instant sentAt, Instant doneAt, Instant lastSeenAt, Boolean healthy, String message) {

  public static final SiteProgress PENDING = new SiteProgress(SiteStatus.PENDING, null, null, null, null, null);

  public SiteProgress {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  SiteProgress sent(Instant at) {
    return new SiteProgress(SiteStatus.UPDATING, at, null, lastSeenAt, healthy, "");
  }

  SiteProgress seen(Instant at) {
    if (lastSeenAt != null && !at.isAfter(lastSeenAt)) return this;
    return new SiteProgress(status, sentAt, doneAt, at, healthy, message);
  }

  SiteProgress done(Instant at, boolean isHealthy) {
    return new SiteProgress(SiteStatus.DONE, sentAt, at, lastSeenAt, isHealthy, "");
  }

  SiteProgress failed(Instant at, String why) {
    return new SiteProgress(SiteStatus.FAILED, sentAt, doneAt == null ? at : doneAt, lastSeenAt, false, why);
  }

  SiteProgress withHealth(boolean isHealthy) {
    return new SiteProgress(status, sentAt, doneAt, lastSeenAt, isHealthy, message);
  }

  /**
   * Sent before {@code now}, not confirmed, and not heard from since it was sent. A site sent at
   * this very instant is not silent yet, so that a repeated step sends no further batch.
   */
  public boolean silentSinceSent(Instant now) {
    return status == SiteStatus.UPDATING && sentAt.isBefore(now) && (lastSeenAt == null || lastSeenAt.isBefore(sentAt));
  }
}
