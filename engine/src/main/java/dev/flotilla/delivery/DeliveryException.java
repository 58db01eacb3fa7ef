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

  public DeliveryException(String site, String app, String revision, String reason, Throwable cause) {
    super("delivery of " + app + "@" + revision + " to site " + site + " failed: " + reason, cause);
    this.site = site;
    this.app = app;
    this.revision = revision;
    this.reason = reason;
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

  /** What went wrong, without the site, app and revision. */
  public String reason() {
    return reason;
  }
}
