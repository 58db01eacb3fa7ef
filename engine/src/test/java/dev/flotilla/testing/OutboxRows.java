package dev.flotilla.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The delivery outbox ({@code delivery_intents}) read with plain SQL, as an outside observer:
 * what each intent's state, attempts and timing are, without the engine's own store classes.
 */
public final class OutboxRows {
  /** One row of {@code delivery_intents}. */
  public record Intent(String key, String rolloutId, String wave, String site, String revision, String state, int attempts,
      Instant nextAttemptAt, Instant createdAt, Instant updatedAt, String leaseOwner, String lastError) {
    @Override
    public String toString() {
      return key + " " + state + " attempts=" + attempts + " created=" + createdAt + " updated=" + updatedAt + " next=" + nextAttemptAt
          + (lastError == null ? "" : " error=" + lastError);
    }
  }

  private OutboxRows() {}

  public static List<Intent> read(DataSource db) throws SQLException {
    try (Connection c = db.getConnection()) {
      return read(c);
    }
  }

  public static List<Intent> read(String jdbcUrl, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl, user, "")) {
      return read(c);
    }
  }

  public static List<Intent> read(Connection c) throws SQLException {
    String sql = "SELECT idempotency_key, rollout_id, wave, site, revision, state, attempts, next_attempt_at, created_at, updated_at,"
        + " lease_owner, last_error FROM delivery_intents ORDER BY created_at, idempotency_key";
    List<Intent> out = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(sql); ResultSet rows = s.executeQuery()) {
      while (rows.next()) {
        out.add(new Intent(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
            rows.getString(6), rows.getInt(7), instant(rows, 8), instant(rows, 9), instant(rows, 10), rows.getString(11),
            rows.getString(12)));
      }
    }
    return out;
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
