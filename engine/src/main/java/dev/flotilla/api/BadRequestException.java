package dev.flotilla.api;

/** The request itself is malformed or invalid (bad JSON, a missing field, an unknown wave): 400. */
public final class BadRequestException extends ApiException {
  public BadRequestException(String reason) {
    super(reason);
  }

  public BadRequestException(String reason, Throwable cause) {
    super(reason, cause);
  }

  @Override
  public int status() {
    return 400;
  }

  @Override
  public String error() {
    return "bad-request";
  }
}
