package dev.flotilla.store;

import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.pull.AcknowledgedTrust;
import dev.flotilla.delivery.pull.AgentReport;
import dev.flotilla.delivery.pull.AgentReports;
import dev.flotilla.delivery.pull.SiteTrust;
import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Agents' reports: {@code agent_report_marks} holds how far each site's queue was taken (read with
 * a row lock, so two replicas taking the same replayed reports take them once), {@code
 * agent_reports} the newest report per (site, app), {@code site_trust} the trust version each site
 * last reported.
 */
public final class JdbcAgentReports implements AgentReports {
  private final JdbcTransactions transactions;

  public JdbcAgentReports(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public long take(String site, String epoch, List<AgentReport> reports) throws StoreException {
    return transactions.withConnection("take " + reports.size() + " reports of site " + site, c -> {
      long last = mark(c, site, epoch);
      for (AgentReport r : reports) {
        if (r.seq() <= last) continue;
        if (r.seq() != last + 1) break; // a gap: the agent sends the rest again, in order
        upsert(c, site, r);
        last = r.seq();
      }
      try (PreparedStatement u = c.prepareStatement("UPDATE agent_report_marks SET epoch = ?, last_seq = ? WHERE site = ?")) {
        u.setString(1, epoch);
        u.setLong(2, last);
        u.setString(3, site);
        u.executeUpdate();
      }
      return last;
    });
  }

  /** The seq taken so far of {@code site}'s queue {@code epoch}, the site's mark locked (created when missing). */
  private static long mark(Connection c, String site, String epoch) throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try (PreparedStatement s = c.prepareStatement("SELECT epoch, last_seq FROM agent_report_marks WHERE site = ? FOR UPDATE")) {
        s.setString(1, site);
        try (ResultSet row = s.executeQuery()) {
          if (row.next()) return row.getString(1).equals(epoch) ? row.getLong(2) : 0;
        }
      }
      try (PreparedStatement i = c.prepareStatement("INSERT INTO agent_report_marks (site, epoch, last_seq) VALUES (?, ?, 0)")) {
        i.setString(1, site);
        i.setString(2, epoch);
        i.executeUpdate();
        return 0;
      } catch (SQLException e) {
        // another replica created it first: read it (and lock it) again
        if (attempt > 0 || e.getSQLState() == null || !e.getSQLState().startsWith("23")) throw e;
      }
    }
  }

  private static void upsert(Connection c, String site, AgentReport r) throws SQLException {
    String update = "UPDATE agent_reports SET revision = ?, sequence = ?, health = ?, observed_at = ?, message = ?, hold_until = ?,"
        + " hold_reason = ? WHERE site = ? AND app = ?";
    try (PreparedStatement u = c.prepareStatement(update)) {
      bind(u, site, r);
      if (u.executeUpdate() == 1) return;
    }
    String insert = "INSERT INTO agent_reports (revision, sequence, health, observed_at, message, hold_until, hold_reason, site, app)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement i = c.prepareStatement(insert)) {
      bind(i, site, r);
      i.executeUpdate();
    }
  }

  private static void bind(PreparedStatement s, String site, AgentReport r) throws SQLException {
    s.setString(1, r.revision());
    s.setLong(2, r.sequence());
    s.setString(3, r.health().name());
    Jdbc.setInstant(s, 4, r.observedAt());
    s.setString(5, r.message());
    Jdbc.setInstant(s, 6, r.holdUntil());
    s.setString(7, r.holdReason());
    s.setString(8, site);
    s.setString(9, r.app());
  }

  @Override
  public List<SiteAgentReport> of(String app) throws StoreException {
    return transactions.withConnection("read the agents' reports of " + app, c -> {
      String sql = "SELECT site, revision, sequence, health, observed_at, message, hold_until, hold_reason FROM agent_reports WHERE app = ?";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, app);
        s.setFetchSize(1000);
        List<SiteAgentReport> out = new ArrayList<>();
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            // seq is not kept per row: 1 stands for "a report that was taken"
            out.add(new SiteAgentReport(rows.getString(1), new AgentReport(1, app, rows.getString(2), rows.getLong(3),
                Health.valueOf(rows.getString(4)), Jdbc.getInstant(rows, 5), rows.getString(6), Jdbc.getInstant(rows, 7),
                rows.getString(8))));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void trust(String site, SiteTrust trust, Instant at) throws StoreException {
    transactions.withConnection("record the trust version of site " + site, c -> {
      Integer before = null;
      try (PreparedStatement s = c.prepareStatement("SELECT version FROM site_trust WHERE site = ? FOR UPDATE")) {
        s.setString(1, site);
        try (ResultSet row = s.executeQuery()) {
          if (row.next()) before = row.getInt(1);
        }
      }
      if (before == null) {
        // a savepoint, so a lost race with another replica leaves the transaction usable (PostgreSQL)
        java.sql.Savepoint fresh = c.setSavepoint();
        try (PreparedStatement i = c.prepareStatement(
            "INSERT INTO site_trust (site, version, problem, since, reported_at) VALUES (?, ?, ?, ?, ?)")) {
          i.setString(1, site);
          i.setInt(2, trust.version());
          i.setString(3, trust.problem());
          Jdbc.setInstant(i, 4, at);
          Jdbc.setInstant(i, 5, at);
          i.executeUpdate();
          return null;
        } catch (SQLException e) {
          // another replica recorded the site first: fall through to the update
          if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) throw e;
          c.rollback(fresh);
        }
      }
      boolean moved = !Objects.equals(before, trust.version());
      String update = "UPDATE site_trust SET version = ?, problem = ?, reported_at = ?" + (moved ? ", since = ?" : "") + " WHERE site = ?";
      try (PreparedStatement u = c.prepareStatement(update)) {
        u.setInt(1, trust.version());
        u.setString(2, trust.problem());
        Jdbc.setInstant(u, 3, at);
        if (moved) Jdbc.setInstant(u, 4, at);
        u.setString(moved ? 5 : 4, site);
        u.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public List<AcknowledgedTrust> trust() throws StoreException {
    return transactions.withConnection("read the sites' trust versions", c -> {
      TreeMap<String, AcknowledgedTrust> bySite = new TreeMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT site FROM site_tokens"); ResultSet rows = s.executeQuery()) {
        while (rows.next()) bySite.put(rows.getString(1), new AcknowledgedTrust(rows.getString(1), null, null, null, null));
      }
      String sql = "SELECT site, version, problem, since, reported_at FROM site_trust";
      try (PreparedStatement s = c.prepareStatement(sql); ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          bySite.put(rows.getString(1), new AcknowledgedTrust(rows.getString(1), rows.getInt(2), rows.getString(3), Jdbc.getInstant(rows, 4),
              Jdbc.getInstant(rows, 5)));
        }
      }
      return List.copyOf(bySite.values());
    });
  }
}
