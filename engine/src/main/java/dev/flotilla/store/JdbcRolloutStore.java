package dev.flotilla.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rollouts in the {@code rollouts} table. Each method runs in its own transaction; the ones that
 * take a {@link Connection} join the caller's, so a rollout update and its audit entries commit
 * together. Updates are compare-and-set on {@code version}: a writer that read an older version
 * loses, and learns so from the result instead of overwriting a newer state.
 */
public final class JdbcRolloutStore {
  private static final String COLUMNS =
      "id, app, revision, kind, state, version, created_at, updated_at, body";

  private final Transactions transactions;

  public JdbcRolloutStore(Transactions transactions) {
    this.transactions = transactions;
  }

  public void insert(StoredRollout rollout) throws StoreException {
    transactions.inTransaction("insert rollout " + rollout.id(), connection -> {
      insert(connection, rollout);
      return null;
    });
  }

  public void insert(Connection connection, StoredRollout rollout) throws StoreException {
    String sql = "INSERT INTO rollouts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, rollout.id());
      insert.setString(2, rollout.app());
      insert.setString(3, rollout.revision());
      insert.setString(4, rollout.kind());
      insert.setString(5, rollout.state());
      insert.setLong(6, rollout.version());
      Jdbc.setInstant(insert, 7, rollout.createdAt());
      Jdbc.setInstant(insert, 8, rollout.updatedAt());
      insert.setString(9, rollout.body());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("insert rollout " + rollout.id(), e);
    }
  }

  public Optional<StoredRollout> get(String id) throws StoreException {
    return transactions.inTransaction("read rollout " + id, connection -> get(connection, id));
  }

  public Optional<StoredRollout> get(Connection connection, String id) throws StoreException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM rollouts WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("read rollout " + id, e);
    }
  }

  /** Rollouts matching the filter, oldest first. */
  public List<StoredRollout> list(RolloutFilter filter) throws StoreException {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM rollouts WHERE 1 = 1");
    List<String> values = new ArrayList<>();
    filter.app().ifPresent(app -> { sql.append(" AND app = ?"); values.add(app); });
    filter.state().ifPresent(state -> { sql.append(" AND state = ?"); values.add(state); });
    sql.append(" ORDER BY created_at, id");
    return transactions.inTransaction("list rollouts", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
        for (int i = 0; i < values.size(); i++) select.setString(i + 1, values.get(i));
        List<StoredRollout> rollouts = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) rollouts.add(read(rows));
        }
        return rollouts;
      }
    });
  }

  /**
   * Stores {@code next} if the stored version is still {@code expectedVersion}; returns false, and
   * changes nothing, when another writer got there first (or the rollout does not exist).
   * {@code next.version()} must be {@code expectedVersion + 1}.
   */
  public boolean update(StoredRollout next, long expectedVersion) throws StoreException {
    return transactions.inTransaction("update rollout " + next.id(),
        connection -> update(connection, next, expectedVersion));
  }

  public boolean update(Connection connection, StoredRollout next, long expectedVersion) throws StoreException {
    if (next.version() != expectedVersion + 1) {
      throw new IllegalArgumentException("rollout " + next.id() + ": the next version must be "
          + (expectedVersion + 1) + ", got " + next.version());
    }
    // created_at and id never change; app, revision and kind are rewritten as given.
    String sql = "UPDATE rollouts SET app = ?, revision = ?, kind = ?, state = ?, version = ?,"
        + " updated_at = ?, body = ? WHERE id = ? AND version = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, next.app());
      update.setString(2, next.revision());
      update.setString(3, next.kind());
      update.setString(4, next.state());
      update.setLong(5, next.version());
      Jdbc.setInstant(update, 6, next.updatedAt());
      update.setString(7, next.body());
      update.setString(8, next.id());
      update.setLong(9, expectedVersion);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("update rollout " + next.id(), e);
    }
  }

  private static StoredRollout read(ResultSet row) throws SQLException {
    return new StoredRollout(
        row.getString("id"),
        row.getString("app"),
        row.getString("revision"),
        row.getString("kind"),
        row.getString("state"),
        row.getLong("version"),
        Jdbc.getInstant(row, "created_at"),
        Jdbc.getInstant(row, "updated_at"),
        row.getString("body"));
  }
}
