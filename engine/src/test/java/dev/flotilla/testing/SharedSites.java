package dev.flotilla.testing;

import dev.flotilla.delivery.Delivery;
import dev.flotilla.delivery.DeliveryException;
import dev.flotilla.delivery.Health;
import dev.flotilla.delivery.SiteRelease;
import dev.flotilla.delivery.SiteReport;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulated sites that several engine replicas share, kept in tables of a database they can all
 * reach, so that a delivery made twice by two replicas is visible: every call of {@link #deliver}
 * is a row of {@code sim.calls} (which engine, when), and each site applies a revision once, a
 * row of {@code sim.applies} keyed by (site, app, revision) — a second call for the same
 * revision is a duplicate, idempotent as the port demands, and counted. A call takes {@code
 * callTime} between being recorded and the apply (a window in which a replica can be killed or
 * paused with the call in flight); a site reports healthy {@code readyTime} after its apply.
 */
public final class SharedSites implements Delivery {
  private final String url;
  private final String user;
  private final String engine;
  private final Duration callTime;
  private final Duration readyTime;

  public SharedSites(String url, String user, String engine, Duration callTime, Duration readyTime) {
    this.url = url;
    this.user = user;
    this.engine = engine;
    this.callTime = callTime;
    this.readyTime = readyTime;
  }

  /** Creates the tables unless they exist. */
  public static void createTables(String url, String user) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, user, ""); Statement s = c.createStatement()) {
      // A schema of their own: the engine's migrations expect its schema to hold only what they made.
      s.execute("CREATE SCHEMA IF NOT EXISTS sim");
      s.execute("CREATE TABLE IF NOT EXISTS sim.calls (seq BIGSERIAL PRIMARY KEY, engine TEXT NOT NULL, rollout_id TEXT NOT NULL,"
          + " site TEXT NOT NULL, app TEXT NOT NULL, revision TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, outcome TEXT)");
      s.execute("CREATE TABLE IF NOT EXISTS sim.applies (site TEXT NOT NULL, app TEXT NOT NULL, revision TEXT NOT NULL,"
          + " rollout_id TEXT NOT NULL, engine TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (site, app, revision))");
    }
  }

  @Override
  public void deliver(SiteRelease r) throws DeliveryException {
    try (Connection c = DriverManager.getConnection(url, user, "")) {
      long seq;
      try (PreparedStatement call = c.prepareStatement(
          "INSERT INTO sim.calls (engine, rollout_id, site, app, revision, at) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq")) {
        call.setString(1, engine);
        call.setString(2, r.rolloutId());
        call.setString(3, r.site().name());
        call.setString(4, r.app());
        call.setString(5, r.revision());
        call.setTimestamp(6, Timestamp.from(Instant.now()));
        try (ResultSet row = call.executeQuery()) {
          row.next();
          seq = row.getLong(1);
        }
      }
      Thread.sleep(callTime.toMillis());
      int applied;
      try (PreparedStatement apply = c.prepareStatement("INSERT INTO sim.applies (site, app, revision, rollout_id, engine, applied_at)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site, app, revision) DO NOTHING")) {
        apply.setString(1, r.site().name());
        apply.setString(2, r.app());
        apply.setString(3, r.revision());
        apply.setString(4, r.rolloutId());
        apply.setString(5, engine);
        apply.setTimestamp(6, Timestamp.from(Instant.now()));
        applied = apply.executeUpdate();
      }
      try (PreparedStatement outcome = c.prepareStatement("UPDATE sim.calls SET outcome = ? WHERE seq = ?")) {
        outcome.setString(1, applied == 1 ? "applied" : "duplicate");
        outcome.setLong(2, seq);
        outcome.executeUpdate();
      }
    } catch (SQLException e) {
      throw new DeliveryException(r, "shared sites: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeliveryException(r, "shared sites: interrupted");
    }
  }

  @Override
  public Optional<SiteReport> status(String site, String app) {
    return statuses(app).stream().filter(s -> s.site().equals(site)).findFirst();
  }

  @Override
  public List<SiteReport> statuses(String app) {
    Map<String, SiteReport> latest = new HashMap<>();
    Instant now = Instant.now();
    try (Connection c = DriverManager.getConnection(url, user, "");
        PreparedStatement s = c.prepareStatement("SELECT site, revision, applied_at FROM sim.applies WHERE app = ? ORDER BY applied_at")) {
      s.setString(1, app);
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          Instant applied = rows.getTimestamp(3).toInstant();
          Instant ready = applied.plus(readyTime);
          // Both replicas compute the same report from the same row: the same report, whoever records it.
          SiteReport report = now.isBefore(ready)
              ? new SiteReport(rows.getString(1), app, rows.getString(2), Health.PROGRESSING, true, applied, "applied")
              : new SiteReport(rows.getString(1), app, rows.getString(2), Health.HEALTHY, true, ready, "ready");
          latest.put(report.site(), report);
        }
      }
    } catch (SQLException e) {
      return List.of(); // the next collection tries again
    }
    return new ArrayList<>(latest.values());
  }
}
