package dev.flotilla.engine.port;

/**
 * The one checked exception of the store ports: an operation on stored state failed. It names what
 * was being done ("update rollout pos@3f2a1c") so a log line says what was lost, not just which
 * statement failed.
 */
public class StoreException extends Exception {
  private final String doing;

  public StoreException(String doing, Throwable cause) {
    super("could not " + doing + ": " + describe(cause), cause);
    this.doing = doing;
  }

  public StoreException(String doing, String problem) {
    super("could not " + doing + ": " + problem);
    this.doing = doing;
  }

  /** What was being done, as a phrase: "insert rollout pos@3f2a1c". */
  public String doing() {
    return doing;
  }

  private static String describe(Throwable cause) {
    if (cause == null) return "unknown cause";
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
