package dev.flotilla.rollout;

/** Where one site stands in a rollout: not sent yet, sent but not confirmed, confirmed, failed. */
public enum SiteStatus {
  PENDING,
  UPDATING,
  DONE,
  FAILED;

  /** Whether the site got the release (it was sent to it), so a rollback must take it back. */
  public boolean sent() {
    return this != PENDING;
  }
}
