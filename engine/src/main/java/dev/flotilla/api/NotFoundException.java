package dev.flotilla.api;

/** The request names something that does not exist (a rollout, an app, a site): 404. */
public final class NotFoundException extends ApiException {
  public NotFoundException(String reason) {
    super(reason);
  }

  @Override
  public int status() {
    return 404;
  }

  @Override
  public String error() {
    return "not-found";
  }
}
