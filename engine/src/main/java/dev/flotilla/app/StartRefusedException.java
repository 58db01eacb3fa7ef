package dev.flotilla.app;

/**
 * The engine will not start as configured, and the message says what to change: an API on a
 * non-loopback address without any token, or a data folder whose database is gone. Unchecked, so
 * every caller of {@link Engine#start} gets it without new throws clauses; the CLI turns it into
 * exit code 2.
 */
public final class StartRefusedException extends RuntimeException {
  public StartRefusedException(String message) {
    super(message);
  }
}
