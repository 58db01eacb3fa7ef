package dev.flotilla.store;

import dev.flotilla.engine.port.SyncStateStore;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.SyncState;
import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The sync position of each (repo, branch), in the {@code sync_state} table. */
public final class JdbcSyncState implements SyncStateStore {
  private final JdbcTransactions transactions;

  public JdbcSyncState(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public Optional<SyncState> get(String repo, String branch) throws StoreException {
    String sql = "SELECT repo, branch, last_synced_commit, last_attempt_at, last_error FROM sync_state"
        + " WHERE repo = ? AND branch = ?";
    return transactions.withConnection("read sync state of " + repo + " " + branch, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, repo);
        select.setString(2, branch);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) return Optional.empty();
          return Optional.of(new SyncState(row.getString("repo"), row.getString("branch"),
              Optional.ofNullable(row.getString("last_synced_commit")), Jdbc.getInstant(row, "last_attempt_at"),
              Optional.ofNullable(row.getString("last_error"))));
        }
      }
    });
  }

  /** Stores the state, replacing any earlier one for the same repo and branch. */
  @Override
  public void put(SyncState state) throws StoreException {
    transactions.withConnection("store sync state of " + state.repo() + " " + state.branch(), connection -> {
      // Update first, insert when there was nothing: plain SQL that both vendors run the same way.
      // One sync job runs per (repo, branch) (Quartz sees to that), so the two cannot race.
      if (update(connection, state) == 0) insert(connection, state);
      return null;
    });
  }

  private static int update(Connection connection, SyncState state) throws SQLException {
    String sql = "UPDATE sync_state SET last_synced_commit = ?, last_attempt_at = ?, last_error = ?"
        + " WHERE repo = ? AND branch = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, state.lastSyncedCommit().orElse(null));
      Jdbc.setInstant(update, 2, state.lastAttemptAt());
      update.setString(3, state.lastError().orElse(null));
      update.setString(4, state.repo());
      update.setString(5, state.branch());
      return update.executeUpdate();
    }
  }

  private static void insert(Connection connection, SyncState state) throws SQLException {
    String sql = "INSERT INTO sync_state (repo, branch, last_synced_commit, last_attempt_at, last_error)"
        + " VALUES (?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, state.repo());
      insert.setString(2, state.branch());
      insert.setString(3, state.lastSyncedCommit().orElse(null));
      Jdbc.setInstant(insert, 4, state.lastAttemptAt());
      insert.setString(5, state.lastError().orElse(null));
      insert.executeUpdate();
    }
  }
}
