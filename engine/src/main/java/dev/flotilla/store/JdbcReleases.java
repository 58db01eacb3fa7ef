package dev.flotilla.store;

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
public final class JdbcReleases {
  private static final String COLUMNS = "app, revision, first_seen_at, state, error";

  private final Transactions transactions;

  public JdbcReleases(Transactions transactions) {
    this.transactions = transactions;
  }

  /** Records a release the first time it is seen; false (and nothing changes) when it is known. */
  public boolean recordIfNew(Connection connection, StoredRelease release) throws StoreException {
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

  public boolean recordIfNew(StoredRelease release) throws StoreException {
    return transactions.inTransaction("record release " + release.app() + "@" + release.revision(),
        connection -> recordIfNew(connection, release));
  }

  /** Sets the state and error of a known release; false when there is no such release. */
  public boolean setState(Connection connection, String app, String revision, String state, Optional<String> error)
      throws StoreException {
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

  public boolean setState(String app, String revision, String state, Optional<String> error) throws StoreException {
    return transactions.inTransaction("set state of release " + app + "@" + revision,
        connection -> setState(connection, app, revision, state, error));
  }

  public Optional<StoredRelease> get(String app, String revision) throws StoreException {
    String sql = "SELECT " + COLUMNS + " FROM releases WHERE app = ? AND revision = ?";
    return transactions.inTransaction("read release " + app + "@" + revision, connection -> {
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
  public List<StoredRelease> forApp(String app) throws StoreException {
    String sql = "SELECT " + COLUMNS + " FROM releases WHERE app = ? ORDER BY first_seen_at, revision";
    return transactions.inTransaction("list releases of " + app, connection -> {
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
