package dev.flotilla.delivery.push;

/**
 * Applying an app to a site failed: the push adapter's one checked exception. Says where (the site,
 * the object as {@code Kind/namespace/name}, the field when the API server named one) and what, in
 * the API server's own words where there are any. {@link #cause()} tells a delivery worker whether
 * trying again can help.
 */
public final class ApplyException extends Exception {
  /** Why, as far as retrying is concerned. */
  public enum Cause {
    /** The API server could not be reached or did not answer in time: try again later. */
    UNREACHABLE,
    /** Another field manager owns a field Flotilla sets, and the app does not force conflicts. */
    CONFLICT,
    /** The API server refused the object (invalid, forbidden, unknown kind). */
    REJECTED,
    /** The rendered object cannot be applied as it stands (a bad sync-wave annotation). */
    INVALID_MANIFEST,
    /** A CustomResourceDefinition was not established in time. */
    TIMEOUT,
    /** The render is empty while objects were applied before: a suspected mistake, nothing was deleted. */
    EMPTY_RENDER
  }

  private final String site;
  private final String object;
  private final String field;
  private final String reason;
  private final Cause cause;

  ApplyException(String site, String object, String field, String reason, Cause cause, Throwable throwable) {
    super("site " + site + (object.isEmpty() ? "" : ", " + object) + (field.isEmpty() ? "" : ", field " + field)
        + ": " + reason, throwable);
    this.site = site;
    this.object = object;
    this.field = field;
    this.reason = reason;
    this.cause = cause;
  }

  public String site() {
    return site;
  }

  /** {@code Kind/namespace/name} of the object being applied, empty when the failure concerns no one object. */
  public String object() {
    return object;
  }

  /** The field the API server named ({@code .spec.replicas}), or empty. */
  public String field() {
    return field;
  }

  /** What went wrong, without the site and object. */
  public String reason() {
    return reason;
  }

  public Cause cause() {
    return cause;
  }

  /** True when the same apply may succeed later without a change in Git. */
  public boolean retryable() {
    return cause == Cause.UNREACHABLE || cause == Cause.TIMEOUT;
  }
}
