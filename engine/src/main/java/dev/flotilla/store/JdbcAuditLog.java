package dev.flotilla.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The append-only audit log. There is deliberately no update or delete here: an entry, once
 * committed, is history. Appends take the caller's connection so they commit (or roll back) with
 * the change they describe.
 */
public final class JdbcAuditLog {
  private final Transactions transactions;
  private final WriteMeter meter;

  public JdbcAuditLog(Transactions transactions) {
    this(transactions, new WriteMeter());
  }

  /** An audit log whose writes are counted in {@code meter}, with the rollout store's. */
  public JdbcAuditLog(Transactions transactions, WriteMeter meter) {
    this.transactions = transactions;
    this.meter = meter;
  }

  /** Appends in the caller's transaction; returns the entry's sequence number. */
  private static final String INSERT =
      "INSERT INTO audit_log (at, actor, rollout_id, app, kind, message, details) VALUES (?, ?, ?, ?, ?, ?, ?)";

  private void bind(PreparedStatement insert, AuditEntry entry) throws SQLException {
    meter.row(entry.at(), entry.actor(), entry.rolloutId().orElse(null), entry.app().orElse(null), entry.kind(), entry.message(),
        entry.details().orElse(null));
    Jdbc.setInstant(insert, 1, entry.at());
    insert.setString(2, entry.actor());
    insert.setString(3, entry.rolloutId().orElse(null));
    insert.setString(4, entry.app().orElse(null));
    insert.setString(5, entry.kind());
    insert.setString(6, entry.message());
    insert.setString(7, entry.details().orElse(null));
  }

  /**
   * Appends entries in order as one JDBC batch, in the caller's transaction: a scheduling pass
   * that sends a batch of hundreds of sites writes their entries in one round trip.
   */
  public void appendAll(Connection connection, java.util.List<AuditEntry> entries) throws StoreException {
    if (entries.isEmpty()) return;
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (AuditEntry entry : entries) {
        bind(insert, entry);
        insert.addBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("append " + entries.size() + " audit entries", e);
    }
  }

  public long append(Connection connection, AuditEntry entry) throws StoreException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT, Statement.RETURN_GENERATED_KEYS)) {
      bind(insert, entry);
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        if (!keys.next()) throw new StoreException("append audit entry " + entry.kind(), "no sequence number returned");
        return keys.getLong("seq");
      }
    } catch (SQLException e) {
      throw new StoreException("append audit entry " + entry.kind(), e);
    }
  }

  /** Appends in a transaction of its own. */
  public long append(AuditEntry entry) throws StoreException {
    return transactions.inTransaction("append audit entry " + entry.kind(), connection -> append(connection, entry));
  }

  /**
   * Up to {@code limit} entries matching the filter with a sequence number above {@code afterSeq},
   * oldest first; pass the last one's {@code seq} to read the next page (0 to start).
   */
  public List<AuditRecord> list(AuditFilter filter, int limit, long afterSeq) throws StoreException {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    StringBuilder sql = new StringBuilder(
        "SELECT seq, at, actor, rollout_id, app, kind, message, details FROM audit_log WHERE seq > ?");
    List<String> values = new ArrayList<>();
    filter.rolloutId().ifPresent(id -> { sql.append(" AND rollout_id = ?"); values.add(id); });
    filter.app().ifPresent(app -> { sql.append(" AND app = ?"); values.add(app); });
    filter.kind().ifPresent(kind -> { sql.append(" AND kind = ?"); values.add(kind); });
    sql.append(" ORDER BY seq LIMIT ?");
    return transactions.inTransaction("list audit entries", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
        int index = 1;
        select.setLong(index++, afterSeq);
        for (String value : values) select.setString(index++, value);
        select.setInt(index, limit);
        List<AuditRecord> records = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) records.add(read(rows));
        }
        return records;
      }
    });
  }

  private static AuditRecord read(ResultSet row) throws SQLException {
    AuditEntry entry = new AuditEntry(
        Jdbc.getInstant(row, "at"),
        row.getString("actor"),
        Optional.ofNullable(row.getString("rollout_id")),
        Optional.ofNullable(row.getString("app")),
        row.getString("kind"),
        row.getString("message"),
        Optional.ofNullable(row.getString("details")));
    return new AuditRecord(row.getLong("seq"), entry);
  }
}
