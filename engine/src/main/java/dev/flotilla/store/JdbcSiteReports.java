package dev.flotilla.store;

import dev.flotilla.engine.port.SiteReportStore;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.StoredReport;
import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What sites report ({@code site_reports}): one row per site and app, written by the delivery
 * workers (unreachable), report collectors and agents, read by the scheduling pass in one query per
 * app. A report never goes back in time: an older observation than the stored one is ignored.
 */
public final class JdbcSiteReports implements SiteReportStore {
  private static final String COLUMNS = "site, app, revision, health, observed_at, message, unreachable_at, unreachable";

  private final JdbcTransactions transactions;
  private final WriteMeter meter;
  private final String nextChange;

  public JdbcSiteReports(JdbcTransactions transactions, WriteMeter meter, Vendor vendor) {
    this.transactions = transactions;
    this.meter = meter;
    this.nextChange = vendor.nextValue("site_report_changes");
  }

  /** Records observations (revision, health, time, message); clears an unreachable mark, since the site was heard from. */
  @Override
  public void record(List<StoredReport> reports) throws StoreException {
    if (reports.isEmpty()) return;
    transactions.withConnection("record " + reports.size() + " site reports", c -> {
      String update = "UPDATE site_reports SET revision = ?, health = ?, observed_at = ?, message = ?, unreachable_at = NULL,"
          + " unreachable = NULL, change_seq = " + nextChange + " WHERE site = ? AND app = ? AND (observed_at IS NULL OR observed_at <= ?)";
      String insert = "INSERT INTO site_reports (revision, health, observed_at, message, site, app, change_seq)"
          + " VALUES (?, ?, ?, ?, ?, ?, " + nextChange + ")";
      try (PreparedStatement u = c.prepareStatement(update)) {
        for (StoredReport r : reports) {
          bind(u, r);
          Jdbc.setInstant(u, 7, r.observedAt());
          u.addBatch();
          meter.row(r.revision(), r.health(), r.observedAt(), r.message(), r.site(), r.app());
        }
        int[] counts = u.executeBatch();
        List<StoredReport> missing = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
          if (counts[i] == 0 && !exists(c, reports.get(i))) missing.add(reports.get(i));
        }
        if (!missing.isEmpty()) {
          try (PreparedStatement ins = c.prepareStatement(insert)) {
            for (StoredReport r : missing) {
              bind(ins, r);
              ins.addBatch();
            }
            ins.executeBatch();
          }
        }
      }
      return null;
    });
  }

  /** Marks the site unreachable for the app since {@code at}, keeping what it last reported. */
  @Override
  public void unreachable(String site, String app, Instant at, String why) throws StoreException {
    transactions.withConnection("mark site " + site + " unreachable", c -> {
      String update = "UPDATE site_reports SET unreachable_at = COALESCE(unreachable_at, ?), unreachable = ? WHERE site = ? AND app = ?";
      try (PreparedStatement u = c.prepareStatement(update)) {
        Jdbc.setInstant(u, 1, at);
        u.setString(2, why);
        u.setString(3, site);
        u.setString(4, app);
        meter.row(at, why, site, app);
        if (u.executeUpdate() == 1) return null;
      }
      String insert = "INSERT INTO site_reports (site, app, revision, health, observed_at, message, unreachable_at, unreachable)"
          + " VALUES (?, ?, NULL, 'UNKNOWN', NULL, '', ?, ?)";
      try (PreparedStatement i = c.prepareStatement(insert)) {
        i.setString(1, site);
        i.setString(2, app);
        Jdbc.setInstant(i, 3, at);
        i.setString(4, why);
        i.executeUpdate();
      }
      return null;
    });
  }

  /** Every report of the app, in one query. */
  @Override
  public List<StoredReport> of(String app) throws StoreException {
    return changedSince(app, -1).reports();
  }

  @Override
  public ReportChanges changedSince(String app, long after) throws StoreException {
    return transactions.withConnection("read the site reports of " + app, c -> {
      String sql = "SELECT " + COLUMNS + ", change_seq FROM site_reports WHERE app = ? AND change_seq > ?";
      try (PreparedStatement s = c.prepareStatement(sql)) {
        s.setString(1, app);
        s.setLong(2, after);
        s.setFetchSize(1000);
        List<StoredReport> out = new ArrayList<>();
        long upTo = Math.max(after, 0);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            out.add(report(rows));
            upTo = Math.max(upTo, rows.getLong(9));
          }
        }
        return new ReportChanges(out, upTo);
      }
    });
  }

  /** Every report, for the sites view. */
  @Override
  public List<StoredReport> all() throws StoreException {
    return transactions.withConnection("read the site reports", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM site_reports"); ResultSet rows = s.executeQuery()) {
        List<StoredReport> out = new ArrayList<>();
        while (rows.next()) out.add(report(rows));
        return out;
      }
    });
  }

  private static StoredReport report(ResultSet rows) throws SQLException {
    return new StoredReport(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), Jdbc.getInstant(rows, 5),
        rows.getString(6), Jdbc.getInstant(rows, 7), rows.getString(8));
  }

  private static boolean exists(Connection c, StoredReport r) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM site_reports WHERE site = ? AND app = ?")) {
      s.setString(1, r.site());
      s.setString(2, r.app());
      try (ResultSet row = s.executeQuery()) {
        return row.next();
      }
    }
  }

  private static void bind(PreparedStatement s, StoredReport r) throws SQLException {
    s.setString(1, r.revision());
    s.setString(2, r.health());
    Jdbc.setInstant(s, 3, r.observedAt());
    s.setString(4, r.message());
    s.setString(5, r.site());
    s.setString(6, r.app());
  }
}
