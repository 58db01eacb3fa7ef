package dev.flotilla.delivery;

/**
 * A release could not be delivered to a site. Carries the site, the app, the revision and the
 * reason; the message names them all, e.g. {@code delivery of pos@3f2a1c to site store-0042
 * failed: site unreachable (push site is offline)}.
 */
public final class DeliveryException extends Exception {
  private final String site;
  private final String app;
  private final String revision;
  private final String reason;
  private final boolean retryable;

  /** A failure that trying again later may cure (the site is unreachable, it did not answer in time). */
  public DeliveryException(String site, String app, String revision, String reason, Throwable cause) {
    this(site, app, revision, reason, cause, true);
  }

  /**
   * {@code retryable} false: the site answered and refused the release (an invalid object, a
   * conflict with another field manager); the same release will be refused again, so the delivery
   * workers record the failure instead of retrying, and do not show the site as unreachable.
   */
  public DeliveryException(String site, String app, String revision, String reason, Throwable cause, boolean retryable) {
    super("delivery of " + app + "@" + revision + " to site " + site + " failed: " + reason, cause);
    this.site = site;
    this.app = app;
    this.revision = revision;
    this.reason = reason;
    this.retryable = retryable;
  }

  public DeliveryException(SiteRelease release, String reason) {
    this(release.site().name(), release.app(), release.revision(), reason, null);
  }

  public String site() {
    return site;
  }

  public String app() {
    return app;
  }

  public String revision() {
    return revision;
  }

  /** True when trying the same delivery again later may succeed. */
  public boolean retryable() {
    return retryable;
  }

  /** What went wrong, without the site, app and revision. */
  public String reason() {
    return reason;
  }
}
