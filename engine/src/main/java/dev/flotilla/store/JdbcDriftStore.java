package dev.flotilla.store;

import dev.flotilla.drift.SiteDrift;
import dev.flotilla.engine.port.DriftStore;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.UnitOfWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The last drift check per site and app, in {@code site_drift}. The summary's lines are stored
 * joined by newlines; {@link SiteDrift} keeps control characters out of each line.
 */
public final class JdbcDriftStore implements DriftStore {
  private static final String COLUMNS = "site, app, revision, objects, fields, checked_at, drifting_since, healed_at";

  private final JdbcTransactions transactions;

  public JdbcDriftStore(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public Optional<SiteDrift> get(UnitOfWork unit, String site, String app) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM site_drift WHERE site = ? AND app = ?")) {
      s.setString(1, site);
      s.setString(2, app);
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? Optional.of(read(row)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("read the drift of " + app + " at site " + site, e);
    }
  }

  @Override
  public void put(UnitOfWork unit, SiteDrift d) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String update = "UPDATE site_drift SET revision = ?, objects = ?, fields = ?, checked_at = ?, drifting_since = ?, healed_at = ?"
        + " WHERE site = ? AND app = ?";
    String insert = "INSERT INTO site_drift (revision, objects, fields, checked_at, drifting_since, healed_at, site, app)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try {
      // Update first, insert when there was none: plain SQL both vendors run alike. One checker runs
      // at a time across replicas (a clustered Quartz job), so the two do not race.
      if (write(c, update, d) == 0) write(c, insert, d);
    } catch (SQLException e) {
      throw new StoreException("record the drift of " + d.app() + " at site " + d.site(), e);
    }
  }

  private static int write(Connection c, String sql, SiteDrift d) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, d.revision());
      s.setInt(2, d.objects());
      s.setString(3, String.join("\n", d.fields()));
      Jdbc.setInstant(s, 4, d.checkedAt());
      Jdbc.setInstant(s, 5, d.driftingSince());
      Jdbc.setInstant(s, 6, d.healedAt());
      s.setString(7, d.site());
      s.setString(8, d.app());
      return s.executeUpdate();
    }
  }

  @Override
  public List<SiteDrift> of(String app) throws StoreException {
    return transactions.withConnection("read the drift of " + app, c -> {
      List<SiteDrift> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM site_drift WHERE app = ? ORDER BY site")) {
        s.setString(1, app);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) out.add(read(rows));
        }
      }
      return out;
    });
  }

  @Override
  public List<SiteDrift> all() throws StoreException {
    return transactions.withConnection("read every site's drift", c -> {
      List<SiteDrift> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM site_drift ORDER BY site, app");
          ResultSet rows = s.executeQuery()) {
        while (rows.next()) out.add(read(rows));
      }
      return out;
    });
  }

  private static SiteDrift read(ResultSet row) throws SQLException {
    String fields = row.getString("fields");
    return new SiteDrift(row.getString("site"), row.getString("app"), row.getString("revision"), row.getInt("objects"),
        fields == null || fields.isEmpty() ? List.of() : Arrays.asList(fields.split("\n")), Jdbc.getInstant(row, "checked_at"),
        Jdbc.getInstant(row, "drifting_since"), Jdbc.getInstant(row, "healed_at"));
  }
}
