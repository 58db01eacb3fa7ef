package dev.flotilla.store;

import java.sql.SQLException;

/**
 * The one checked exception of the store: a database operation failed. It names what was being
 * done ("update rollout pos@3f2a1c") so a log line says what was lost, not just which SQL failed.
 */
public class StoreException extends Exception {
  /** SQLSTATE class 23505: both H2 and PostgreSQL report a unique or primary key violation so. */
  private static final String UNIQUE_VIOLATION = "23505";

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

  /** True when the operation failed because a row with the same key already exists. */
  public boolean isDuplicateKey() {
    for (Throwable t = getCause(); t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) return true;
    }
    return false;
  }

  private static String describe(Throwable cause) {
    if (cause == null) return "unknown cause";
    String message = cause.getMessage();
    return message == null ? cause.getClass().getSimpleName() : message;
  }
}
