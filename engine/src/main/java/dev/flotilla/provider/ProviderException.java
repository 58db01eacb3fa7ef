package dev.flotilla.provider;

/** A Git provider call that failed: what was being done, where, and the provider's answer (never the token). */
public final class ProviderException extends Exception {
  private final int status;

  public ProviderException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  public ProviderException(String message, int status) {
    this(message, status, null);
  }

  /** The HTTP status of the last answer, 0 when none came (connection refused, timeout). */
  public int status() {
    return status;
  }
}
