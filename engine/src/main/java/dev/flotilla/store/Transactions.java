package dev.flotilla.store;

import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: commit when it returns, roll back when it throws. This is
 * how the engine updates a rollout and appends its audit entries atomically: both writes take the
 * same {@link Connection}.
 */
public final class Transactions {
  private final DataSource dataSource;

  public Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Work done with one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException, StoreException;
  }

  public <T> T inTransaction(Work<T> work) throws StoreException {
    return inTransaction("run a transaction", work);
  }

  /**
   * Runs {@code work} in a transaction; {@code doing} names it in the exception when a database
   * error ends it. A {@link StoreException} or runtime exception from the work rolls back too and
   * reaches the caller unchanged.
   */
  public <T> T inTransaction(String doing, Work<T> work) throws StoreException {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | StoreException | RuntimeException | Error e) {
        rollBack(connection, e);
        throw e;
      }
      // No reset of auto-commit here: the pool restores it when the connection goes back.
    } catch (SQLException e) {
      throw new StoreException(doing, e);
    }
  }

  private static void rollBack(Connection connection, Throwable cause) {
    try {
      connection.rollback();
    } catch (SQLException rollbackFailure) {
      // The first failure is the one to report; the pool discards a connection that failed.
      cause.addSuppressed(rollbackFailure);
    }
  }
}
