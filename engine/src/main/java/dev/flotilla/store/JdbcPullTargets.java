package dev.flotilla.store;

import dev.flotilla.delivery.pull.PullTarget;
import dev.flotilla.delivery.pull.PullTargets;
import dev.flotilla.engine.port.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Pull targets in {@code pull_targets}: one row per (site, app), moved forward by compare-and-set on the sequence. */
public final class JdbcPullTargets implements PullTargets {
  private static final String COLUMNS = "site, app, sequence, revision, rollout_id, etag, size, published_at";

  private final JdbcTransactions transactions;

  public JdbcPullTargets(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public Optional<PullTarget> get(String site, String app) throws StoreException {
    return transactions.withConnection("read the pull target of " + site + "/" + app, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM pull_targets WHERE site = ? AND app = ?")) {
        s.setString(1, site);
        s.setString(2, app);
        try (ResultSet row = s.executeQuery()) {
          return row.next() ? Optional.of(read(row)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<PullTarget> of(String site) throws StoreException {
    return transactions.withConnection("read the pull targets of " + site, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM pull_targets WHERE site = ? ORDER BY app")) {
        s.setString(1, site);
        List<PullTarget> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) out.add(read(rows));
        }
        return out;
      }
    });
  }

  @Override
  public boolean advance(PullTarget next, long previous) throws StoreException {
    return transactions.withConnection("publish " + next.app() + " sequence " + next.sequence() + " for " + next.site(), c -> {
      if (previous == 0) {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pull_targets WHERE site = ? AND app = ?")) {
          exists.setString(1, next.site());
          exists.setString(2, next.app());
          try (ResultSet row = exists.executeQuery()) {
            if (row.next()) return false;
          }
        }
        try (PreparedStatement i = c.prepareStatement("INSERT INTO pull_targets (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
          bind(i, next);
          return i.executeUpdate() == 1;
        } catch (SQLException e) {
          if (e.getSQLState() != null && e.getSQLState().startsWith("23")) return false; // another publisher inserted it
          throw e;
        }
      }
      String sql = "UPDATE pull_targets SET sequence = ?, revision = ?, rollout_id = ?, etag = ?, size = ?, published_at = ?"
          + " WHERE site = ? AND app = ? AND sequence = ?";
      try (PreparedStatement u = c.prepareStatement(sql)) {
        u.setLong(1, next.sequence());
        u.setString(2, next.revision());
        u.setString(3, next.rolloutId());
        u.setString(4, next.etag());
        u.setLong(5, next.size());
        Jdbc.setInstant(u, 6, next.publishedAt());
        u.setString(7, next.site());
        u.setString(8, next.app());
        u.setLong(9, previous);
        return u.executeUpdate() == 1;
      }
    });
  }

  private static void bind(PreparedStatement s, PullTarget t) throws SQLException {
    s.setString(1, t.site());
    s.setString(2, t.app());
    s.setLong(3, t.sequence());
    s.setString(4, t.revision());
    s.setString(5, t.rolloutId());
    s.setString(6, t.etag());
    s.setLong(7, t.size());
    Jdbc.setInstant(s, 8, t.publishedAt());
  }

  @Override
  public List<PullTarget> publishedBefore(java.time.Instant cutoff, int limit) throws StoreException {
    return transactions.withConnection("read the pull targets published before " + cutoff, c -> {
      String sql = "SELECT " + COLUMNS + " FROM pull_targets WHERE published_at < ? ORDER BY published_at, site, app";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        Jdbc.setInstant(s, 1, cutoff);
        s.setMaxRows(limit);
        List<PullTarget> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) out.add(read(rows));
        }
        return out;
      }
    });
  }

  private static PullTarget read(ResultSet row) throws SQLException {
    return new PullTarget(row.getString(1), row.getString(2), row.getLong(3), row.getString(4), row.getString(5), row.getString(6),
        row.getLong(7), Jdbc.getInstant(row, 8));
  }
}
