package dev.flotilla.store;

import dev.flotilla.engine.port.ReleaseStore;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.StoredRelease;
import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Releases the engine has seen, in the {@code releases} table, keyed by (app, revision). */
public final class JdbcReleases implements ReleaseStore {
  private static final String COLUMNS = "app, revision, first_seen_at, state, error";

  private final JdbcTransactions transactions;

  public JdbcReleases(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  /** Records a release the first time it is seen; false (and nothing changes) when it is known. */
  @Override
  public boolean recordIfNew(UnitOfWork unit, StoredRelease release) throws StoreException {
    Connection connection = JdbcTransactions.connection(unit);
    // Not a caught key violation: on PostgreSQL that would abort the caller's whole transaction.
    String sql = "INSERT INTO releases (" + COLUMNS + ") SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS"
        + " (SELECT 1 FROM releases WHERE app = ? AND revision = ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, release.app());
      insert.setString(2, release.revision());
      Jdbc.setInstant(insert, 3, release.firstSeenAt());
      insert.setString(4, release.state());
      insert.setString(5, release.error().orElse(null));
      insert.setString(6, release.app());
      insert.setString(7, release.revision());
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("record release " + release.app() + "@" + release.revision(), e);
    }
  }

  @Override
  public boolean recordIfNew(StoredRelease release) throws StoreException {
    return transactions.inTransaction("record release " + release.app() + "@" + release.revision(),
        unit -> recordIfNew(unit, release));
  }

  /** Sets the state and error of a known release; false when there is no such release. */
  @Override
  public boolean setState(UnitOfWork unit, String app, String revision, String state, Optional<String> error)
      throws StoreException {
    Connection connection = JdbcTransactions.connection(unit);
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE releases SET state = ?, error = ? WHERE app = ? AND revision = ?")) {
      update.setString(1, state);
      update.setString(2, error.orElse(null));
      update.setString(3, app);
      update.setString(4, revision);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("set state of release " + app + "@" + revision, e);
    }
  }

  @Override
  public boolean setState(String app, String revision, String state, Optional<String> error) throws StoreException {
    return transactions.inTransaction("set state of release " + app + "@" + revision,
        unit -> setState(unit, app, revision, state, error));
  }

  @Override
  public Optional<StoredRelease> get(String app, String revision) throws StoreException {
    String sql = "SELECT " + COLUMNS + " FROM releases WHERE app = ? AND revision = ?";
    return transactions.withConnection("read release " + app + "@" + revision, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, app);
        select.setString(2, revision);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? Optional.of(read(row)) : Optional.empty();
        }
      }
    });
  }

  /** Releases of one app, first seen first. */
  @Override
  public List<StoredRelease> forApp(String app) throws StoreException {
    String sql = "SELECT " + COLUMNS + " FROM releases WHERE app = ? ORDER BY first_seen_at, revision";
    return transactions.withConnection("list releases of " + app, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, app);
        List<StoredRelease> releases = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) releases.add(read(rows));
        }
        return releases;
      }
    });
  }

  private static StoredRelease read(ResultSet row) throws SQLException {
    return new StoredRelease(row.getString("app"), row.getString("revision"), Jdbc.getInstant(row, "first_seen_at"),
        row.getString("state"), Optional.ofNullable(row.getString("error")));
  }
}
