package dev.flotilla.store;

import dev.flotilla.engine.port.RolloutStore;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.RolloutHead;
import dev.flotilla.engine.port.VersionedRollout;
import dev.flotilla.engine.port.RolloutFilter;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.SiteProgress;
import dev.flotilla.rollout.SiteStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Rollouts in the {@code rollouts} table (a header row) and {@code rollout_sites} (a row per site),
 * in the stored form of {@link RolloutRows}. Updates are compare-and-set on {@code version}: a
 * writer that read an older version loses and learns so from the result. An update writes the
 * header and only the site rows that changed, and the plan only when it changed, so a pass that
 * moves 50 of 10,000 sites writes 50 site rows. Methods that take a {@link UnitOfWork} join the
 * caller's transaction.
 */
public final class JdbcRolloutStore implements RolloutStore {
  private static final String HEAD = "id, app, revision, kind, state, version, created_at, updated_at, retired_at";
  private static final String SITE_COLUMNS = "status, sent_at, done_at, last_seen_at, healthy, message";

  /** The states whose rollouts a scheduling pass reads; ended (and retired) rollouts are history. */
  private static final String LIVE = "state IN ('HELD', 'QUEUED', 'RUNNING', 'PAUSED', 'COMPLETED', 'HALTED') AND retired_at IS NULL";

  private final JdbcTransactions transactions;
  private final WriteMeter meter = new WriteMeter();

  public JdbcRolloutStore(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  public WriteMeter meter() {
    return meter;
  }

  /** Inserts a new rollout with its sites; false, and nothing written, when one with its id exists. */
  @Override
  public boolean insert(UnitOfWork unit, Rollout r, Instant now) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String doing = "insert rollout " + r.id();
    if (head(unit, r.id()).isPresent()) return false;
    String sql = "INSERT INTO rollouts (" + HEAD + ", header, plan, waiting_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)";
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      String header = RolloutRows.header(r);
      String plan = RolloutRows.plan(r);
      insert.setString(1, r.id());
      insert.setString(2, r.app());
      insert.setString(3, r.revision());
      insert.setString(4, r.kind().name());
      insert.setString(5, r.state().name());
      insert.setLong(6, 1);
      Jdbc.setInstant(insert, 7, r.createdAt());
      Jdbc.setInstant(insert, 8, now);
      Jdbc.setInstant(insert, 9, r.retiredAt());
      insert.setString(10, header);
      insert.setString(11, plan);
      insert.executeUpdate();
      meter.row(r.id(), r.app(), r.revision(), r.kind().name(), r.state().name(), 1L, now, now, r.retiredAt(), header, plan);
    } catch (SQLException e) {
      throw new StoreException(doing, e);
    }
    insertSites(c, r.id(), r.sites(), doing);
    return true;
  }

  /**
   * Writes {@code next} over the stored version {@code expectedVersion} of the same rollout,
   * {@code before} being what that version holds; false, and nothing written, when another writer
   * got there first.
   */
  @Override
  public boolean update(UnitOfWork unit, Rollout before, long expectedVersion, Rollout next, Instant now) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String doing = "update rollout " + next.id();
    boolean planChanged = !before.plan().equals(next.plan());
    String header = RolloutRows.header(next);
    String plan = planChanged ? RolloutRows.plan(next) : null;
    String sql = "UPDATE rollouts SET state = ?, version = ?, updated_at = ?, retired_at = ?, header = ?"
        + (planChanged ? ", plan = ?" : "") + " WHERE id = ? AND version = ?";
    try (PreparedStatement update = c.prepareStatement(sql)) {
      int i = 1;
      update.setString(i++, next.state().name());
      update.setLong(i++, expectedVersion + 1);
      Jdbc.setInstant(update, i++, now);
      Jdbc.setInstant(update, i++, next.retiredAt());
      update.setString(i++, header);
      if (planChanged) update.setString(i++, plan);
      update.setString(i++, next.id());
      update.setLong(i, expectedVersion);
      if (update.executeUpdate() != 1) return false;
      meter.row(next.state().name(), expectedVersion + 1, now, next.retiredAt(), header, plan, next.id());
    } catch (SQLException e) {
      throw new StoreException(doing, e);
    }
    writeSiteChanges(c, next.id(), before.sites(), next.sites(), next.sitesChangedSince(before).orElse(null), doing);
    return true;
  }

  /** The rollout and its stored version. */
  @Override
  public Optional<VersionedRollout> get(String id) throws StoreException {
    return transactions.inTransaction("read rollout " + id, unit -> get(unit, id));
  }

  @Override
  public Optional<VersionedRollout> get(UnitOfWork unit, String id) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String sql = "SELECT " + HEAD + ", header, plan FROM rollouts WHERE id = ?";
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) return Optional.empty();
        Map<String, SiteProgress> sites;
        try {
          sites = sites(c, id);
        } catch (RuntimeException e) {
          throw new dev.flotilla.engine.port.UnreadableRolloutException(id, "its site rows cannot be read: " + e.getMessage());
        }
        Rollout r = RolloutRows.rollout(id, row.getString("app"), row.getString("revision"), row.getString("kind"),
            row.getString("state"), Jdbc.getInstant(row, "created_at"), Jdbc.getInstant(row, "retired_at"), row.getString("header"),
            row.getString("plan"), sites);
        return Optional.of(new VersionedRollout(r, row.getLong("version")));
      }
    } catch (SQLException e) {
      throw new StoreException("read rollout " + id, e);
    }
  }

  /** The heads of the rollouts a pass acts on or arranges: not ended, not retired; oldest first. */
  @Override
  public List<RolloutHead> live() throws StoreException {
    return heads("SELECT id, app, state, version FROM rollouts WHERE " + LIVE + " ORDER BY created_at, id", List.of());
  }

  /** The heads of every rollout of the filter, oldest first, at most {@code limit} after skipping {@code offset}. */
  @Override
  public List<RolloutHead> heads(RolloutFilter filter, int offset, int limit) throws StoreException {
    StringBuilder sql = new StringBuilder("SELECT id, app, state, version FROM rollouts WHERE 1 = 1");
    List<String> values = new ArrayList<>();
    filter.app().ifPresent(app -> {
      sql.append(" AND app = ?");
      values.add(app);
    });
    filter.state().ifPresent(state -> {
      sql.append(" AND state = ?");
      values.add(state);
    });
    sql.append(" ORDER BY created_at DESC, id LIMIT ").append(limit).append(" OFFSET ").append(offset);
    return heads(sql.toString(), values);
  }

  private List<RolloutHead> heads(String sql, List<String> values) throws StoreException {
    return transactions.withConnection("list rollouts", c -> {
      try (PreparedStatement select = c.prepareStatement(sql)) {
        for (int i = 0; i < values.size(); i++) select.setString(i + 1, values.get(i));
        List<RolloutHead> out = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            out.add(new RolloutHead(rows.getString("id"), rows.getString("app"), rows.getString("state"), rows.getLong("version")));
          }
        }
        return out;
      }
    });
  }

  /** The newest completed release of the app (what a rollback returns to), retired or not. */
  @Override
  public Optional<String> lastCompletedRevision(UnitOfWork unit, String app) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String sql = "SELECT revision FROM rollouts WHERE app = ? AND kind = 'RELEASE' AND state = 'COMPLETED'"
        + " ORDER BY created_at DESC, id DESC LIMIT 1";
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, app);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("find the last completed release of " + app, e);
    }
  }

  @Override
  public Optional<RolloutHead> head(UnitOfWork unit, String id) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    try (PreparedStatement select = c.prepareStatement("SELECT id, app, state, version FROM rollouts WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? Optional.of(new RolloutHead(row.getString("id"), row.getString("app"), row.getString("state"), row.getLong("version")))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("read rollout " + id, e);
    }
  }

  /** Records what the rollout waits on now, for the API; written only when it changed. */
  @Override
  public void waitingOn(UnitOfWork unit, String id, String waitingOn) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    try (PreparedStatement update = c.prepareStatement("UPDATE rollouts SET waiting_on = ? WHERE id = ?")) {
      update.setString(1, waitingOn);
      update.setString(2, id);
      update.executeUpdate();
      meter.row(waitingOn, id);
    } catch (SQLException e) {
      throw new StoreException("record what rollout " + id + " waits on", e);
    }
  }

  /** What each rollout waits on, as last recorded by a pass. */
  @Override
  public Map<String, String> waitingOn(List<String> ids) throws StoreException {
    if (ids.isEmpty()) return Map.of();
    String marks = String.join(", ", ids.stream().map(x -> "?").toList());
    return transactions.withConnection("read what rollouts wait on", c -> {
      try (PreparedStatement select = c.prepareStatement("SELECT id, waiting_on FROM rollouts WHERE id IN (" + marks + ")")) {
        for (int i = 0; i < ids.size(); i++) select.setString(i + 1, ids.get(i));
        Map<String, String> out = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            if (rows.getString(2) != null) out.put(rows.getString(1), rows.getString(2));
          }
        }
        return out;
      }
    });
  }

  private Map<String, SiteProgress> sites(Connection c, String id) throws SQLException {
    Map<String, SiteProgress> sites = new HashMap<>();
    try (PreparedStatement select = c.prepareStatement("SELECT site, " + SITE_COLUMNS + " FROM rollout_sites WHERE rollout_id = ?")) {
      select.setString(1, id);
      select.setFetchSize(1000);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          boolean healthy = rows.getBoolean("healthy");
          Boolean h = rows.wasNull() ? null : healthy;
          sites.put(rows.getString("site"), new SiteProgress(SiteStatus.valueOf(rows.getString("status")), Jdbc.getInstant(rows, "sent_at"),
              Jdbc.getInstant(rows, "done_at"), Jdbc.getInstant(rows, "last_seen_at"), h, rows.getString("message")));
        }
      }
    }
    return sites;
  }

  void insertSites(Connection c, String id, Map<String, SiteProgress> sites, String doing) throws StoreException {
    if (sites.isEmpty()) return;
    String sql = "INSERT INTO rollout_sites (" + SITE_COLUMNS + ", rollout_id, site) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = c.prepareStatement(sql)) {
      int n = 0;
      for (Map.Entry<String, SiteProgress> e : sites.entrySet()) {
        bindSite(insert, id, e.getKey(), e.getValue());
        insert.addBatch();
        // Batches of a few thousand: one batch of 100,000 rows holds every row's values at once.
        if (++n % 2000 == 0) insert.executeBatch();
      }
      insert.executeBatch();
    } catch (SQLException e) {
      throw new StoreException(doing, e);
    }
  }

  /** Writes the sites whose progress differs; unchanged entries are the same instances, so most are skipped by identity. */
  private void writeSiteChanges(Connection c, String id, Map<String, SiteProgress> before, Map<String, SiteProgress> after,
      Set<String> candidates, String doing) throws StoreException {
    if (before == after) return; // a step that changed no site keeps the very same map
    Map<String, SiteProgress> changed = new HashMap<>();
    Map<String, SiteProgress> added = new HashMap<>();
    // The rollout knows which few sites its steps touched; otherwise every site is compared.
    Iterable<String> sites = candidates != null ? candidates : after.keySet();
    for (String site : sites) {
      SiteProgress now = after.get(site);
      SiteProgress old = before.get(site);
      if (now == null) continue;
      if (old == null) added.put(site, now);
      else if (old != now && !old.equals(now)) changed.put(site, now);
    }
    List<String> removed = candidates != null ? candidates.stream().filter(s -> before.containsKey(s) && !after.containsKey(s)).toList()
        : before.keySet().stream().filter(s -> !after.containsKey(s)).toList();
    insertSites(c, id, added, doing);
    try {
      if (!changed.isEmpty()) {
        String sql = "UPDATE rollout_sites SET status = ?, sent_at = ?, done_at = ?, last_seen_at = ?, healthy = ?, message = ?"
            + " WHERE rollout_id = ? AND site = ?";
        try (PreparedStatement update = c.prepareStatement(sql)) {
          for (Map.Entry<String, SiteProgress> e : changed.entrySet()) {
            bindSite(update, id, e.getKey(), e.getValue());
            update.addBatch();
          }
          update.executeBatch();
        }
      }
      if (!removed.isEmpty()) {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM rollout_sites WHERE rollout_id = ? AND site = ?")) {
          for (String site : removed) {
            delete.setString(1, id);
            delete.setString(2, site);
            delete.addBatch();
            meter.row(id, site);
          }
          delete.executeBatch();
        }
      }
    } catch (SQLException e) {
      throw new StoreException(doing, e);
    }
  }

  private void bindSite(PreparedStatement s, String id, String site, SiteProgress p) throws SQLException {
    s.setString(1, p.status().name());
    Jdbc.setInstant(s, 2, p.sentAt());
    Jdbc.setInstant(s, 3, p.doneAt());
    Jdbc.setInstant(s, 4, p.lastSeenAt());
    if (p.healthy() == null) s.setNull(5, Types.BOOLEAN);
    else s.setBoolean(5, p.healthy());
    s.setString(6, p.message());
    s.setString(7, id);
    s.setString(8, site);
    meter.siteRow(p.status().name(), p.sentAt(), p.doneAt(), p.lastSeenAt(), p.healthy(), p.message(), id, site);
  }
}
