package dev.flotilla.api;

/**
 * An error a request handler reports to the client: the HTTP status it maps to and a short,
 * stable error word. The message is the reason, written for the person who sent the request.
 */
public abstract sealed class ApiException extends Exception
    permits ConflictException, NotFoundException, BadRequestException {
  protected ApiException(String reason) {
    super(reason);
  }

  protected ApiException(String reason, Throwable cause) {
    super(reason, cause);
  }

  /** The HTTP status code. */
  public abstract int status();

  /** The short error word of the JSON body ("conflict", "not-found", "bad-request"). */
  public abstract String error();
}
