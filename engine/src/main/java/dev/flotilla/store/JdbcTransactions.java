package dev.flotilla.store;

import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.Transactions;
import dev.flotilla.engine.port.UnitOfWork;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one database transaction: commit when it returns, roll back when it throws. The
 * engine's units of work are connections in a transaction: a rollout update and its audit entries
 * are written atomically because both take the same {@link Connection}.
 */
public final class JdbcTransactions implements Transactions {
  private final DataSource dataSource;

  public JdbcTransactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Work done with one connection inside a transaction. */
  @FunctionalInterface
  interface JdbcWork<T> {
    T run(Connection connection) throws SQLException, StoreException;
  }

  /** A unit of work of this store: one connection with auto-commit off. */
  private record JdbcUnitOfWork(Connection connection) implements UnitOfWork {}

  /** The connection of a unit of work this store opened. */
  static Connection connection(UnitOfWork unit) {
    if (unit instanceof JdbcUnitOfWork jdbc) return jdbc.connection();
    throw new IllegalArgumentException("not a unit of work of the JDBC store: " + unit);
  }

  @Override
  public <T> T inTransaction(String doing, Work<T> work) throws StoreException {
    return withConnection(doing, connection -> work.run(new JdbcUnitOfWork(connection)));
  }

  /**
   * Runs {@code work} in a transaction; {@code doing} names it in the exception when a database
   * error ends it. A {@link StoreException} or runtime exception from the work rolls back too and
   * reaches the caller unchanged.
   */
  <T> T withConnection(String doing, JdbcWork<T> work) throws StoreException {
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
