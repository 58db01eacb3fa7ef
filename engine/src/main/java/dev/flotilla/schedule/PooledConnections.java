package dev.flotilla.schedule;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.quartz.utils.ConnectionProvider;

/**
 * Gives Quartz connections from the engine's own pool, so its job store lives in the same database
 * as the rollout state. The pool belongs to {@link dev.flotilla.store.Database}: Quartz's shutdown
 * lets go of it but does not close it.
 */
final class PooledConnections implements ConnectionProvider {
  private volatile DataSource dataSource;

  PooledConnections(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Connection getConnection() throws SQLException {
    DataSource current = dataSource;
    if (current == null) throw new SQLException("the scheduler that used this connection provider has shut down");
    return current.getConnection();
  }

  @Override
  public void initialize() {
    // The pool is open already.
  }

  @Override
  public void shutdown() {
    // Quartz keeps providers in a JVM-wide registry; dropping the reference lets the pool go.
    dataSource = null;
  }
}
