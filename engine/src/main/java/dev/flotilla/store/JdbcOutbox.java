package dev.flotilla.store;

import dev.flotilla.engine.port.DeliveryIntent;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.Outbox;
import dev.flotilla.engine.port.UnitOfWork;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery outbox ({@code delivery_intents}). Intents are written in the transaction that
 * stores the decision; a worker claims due ones with a lease (compare-and-set, so two replicas never
 * both take one), carries them out, and marks them done, or puts them back with the next attempt's
 * time. A claim whose worker died expires and is taken again: an intent is finished exactly once,
 * and adapters are idempotent for the rare second call.
 */
public final class JdbcOutbox implements Outbox {
  private static final String COLUMNS =
      "idempotency_key, rollout_id, wave, site, app, revision, delivery, attempts, next_attempt_at, lease_owner";

  private final JdbcTransactions transactions;
  private final WriteMeter meter;

  public JdbcOutbox(JdbcTransactions transactions, WriteMeter meter) {
    this.transactions = transactions;
    this.meter = meter;
  }

  /**
   * Records intents in the caller's transaction; one already recorded (same key) is left as it is.
   * Each replaces the not yet delivered intents of other releases of the same app at the same site:
   * the newest decision for a site is the one to carry out, so a site never gets an older revision
   * after a newer one.
   */
  @Override
  public void add(UnitOfWork unit, List<DeliveryIntent> intents, Instant now) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    if (intents.isEmpty()) return;
    String merge = "MERGE INTO delivery_intents t USING (SELECT CAST(? AS VARCHAR(700)) AS k) s ON t.idempotency_key = s.k"
        + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ", state, lease_until, created_at, updated_at, last_error)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, NULL, 'PENDING', NULL, ?, ?, NULL)";
    String cancel = "UPDATE delivery_intents SET state = 'CANCELLED', updated_at = ? WHERE app = ? AND site = ? AND state = 'PENDING'"
        + " AND rollout_id <> ?";
    try (PreparedStatement insert = c.prepareStatement(merge); PreparedStatement overtake = c.prepareStatement(cancel)) {
      // Checked once per batch: most of the time no other release of the app waits at any site.
      boolean othersPending = othersPending(c, intents.get(0).app(), intents.get(0).rolloutId());
      for (DeliveryIntent i : intents) {
        insert.setString(1, i.idempotencyKey());
        insert.setString(2, i.idempotencyKey());
        insert.setString(3, i.rolloutId());
        insert.setString(4, i.wave());
        insert.setString(5, i.site());
        insert.setString(6, i.app());
        insert.setString(7, i.revision());
        insert.setString(8, i.delivery());
        Jdbc.setInstant(insert, 9, i.nextAttemptAt());
        Jdbc.setInstant(insert, 10, now);
        Jdbc.setInstant(insert, 11, now);
        insert.addBatch();
        meter.row(i.idempotencyKey(), i.rolloutId(), i.wave(), i.site(), i.app(), i.revision(), i.delivery(), 0L, now, now, now);
        if (!othersPending && i.app().equals(intents.get(0).app()) && i.rolloutId().equals(intents.get(0).rolloutId())) continue;
        Jdbc.setInstant(overtake, 1, now);
        overtake.setString(2, i.app());
        overtake.setString(3, i.site());
        overtake.setString(4, i.rolloutId());
        overtake.addBatch();
      }
      overtake.executeBatch();
      insert.executeBatch();
    } catch (SQLException e) {
      throw new StoreException("record " + intents.size() + " delivery intents", e);
    }
  }

  private static boolean othersPending(Connection c, String app, String rolloutId) throws SQLException {
    String sql = "SELECT 1 FROM delivery_intents WHERE app = ? AND state = 'PENDING' AND rollout_id <> ? LIMIT 1";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, app);
      s.setString(2, rolloutId);
      try (ResultSet row = s.executeQuery()) {
        return row.next();
      }
    }
  }

  /** Cancels the rollout's intents not yet carried out (it halted, was superseded or aborted), or only those of {@code sites}. */
  @Override
  public void cancel(UnitOfWork unit, String rolloutId, List<String> sites, Instant now) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String sql = "UPDATE delivery_intents SET state = 'CANCELLED', updated_at = ? WHERE rollout_id = ? AND state = 'PENDING'"
        + (sites == null ? "" : " AND site = ?");
    try (PreparedStatement update = c.prepareStatement(sql)) {
      if (sites == null) {
        Jdbc.setInstant(update, 1, now);
        update.setString(2, rolloutId);
        update.executeUpdate();
      } else {
        for (String site : sites) {
          Jdbc.setInstant(update, 1, now);
          update.setString(2, rolloutId);
          update.setString(3, site);
          update.addBatch();
        }
        update.executeBatch();
      }
    } catch (SQLException e) {
      throw new StoreException("cancel the delivery intents of rollout " + rolloutId, e);
    }
  }

  /**
   * Claims up to {@code max} intents due at {@code now} for {@code owner} until {@code leaseUntil},
   * each claim a compare-and-set; returns the ones this caller got.
   */
  @Override
  public List<DeliveryIntent> claim(String owner, Instant now, Instant leaseUntil, int max) throws StoreException {
    if (max <= 0) return List.of();
    return transactions.withConnection("claim delivery intents", c -> {
      List<DeliveryIntent> due = new ArrayList<>();
      String sql = "SELECT " + COLUMNS + " FROM delivery_intents WHERE state = 'PENDING' AND next_attempt_at <= ?"
          + " AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, idempotency_key LIMIT " + max;
      try (PreparedStatement select = c.prepareStatement(sql)) {
        Jdbc.setInstant(select, 1, now);
        Jdbc.setInstant(select, 2, now);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) due.add(read(rows));
        }
      }
      if (due.isEmpty()) return due;
      String take = "UPDATE delivery_intents SET lease_owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?"
          + " WHERE idempotency_key = ? AND state = 'PENDING' AND (lease_until IS NULL OR lease_until < ?)";
      List<DeliveryIntent> claimed = new ArrayList<>();
      try (PreparedStatement update = c.prepareStatement(take)) {
        for (DeliveryIntent i : due) {
          update.setString(1, owner);
          Jdbc.setInstant(update, 2, leaseUntil);
          Jdbc.setInstant(update, 3, now);
          update.setString(4, i.idempotencyKey());
          Jdbc.setInstant(update, 5, now);
          update.addBatch();
        }
        int[] counts = update.executeBatch();
        for (int k = 0; k < counts.length; k++) {
          // A count of 0 means another replica claimed it between the read and this write.
          if (counts[k] != 0) {
            DeliveryIntent i = due.get(k);
            claimed.add(new DeliveryIntent(i.idempotencyKey(), i.rolloutId(), i.wave(), i.site(), i.app(), i.revision(), i.delivery(),
                i.attempts() + 1, i.nextAttemptAt(), owner));
          }
        }
      }
      return claimed;
    });
  }

  /**
   * Records the outcomes of many attempts in one transaction; returns how many intents became done.
   * An outcome whose claim was lost (its lease ran out and someone else took the intent) changes nothing.
   */
  @Override
  public int finish(List<Outcome> outcomes, Instant now) throws StoreException {
    if (outcomes.isEmpty()) return 0;
    return transactions.withConnection("record " + outcomes.size() + " delivery outcomes", c -> {
      String doneSql = "UPDATE delivery_intents SET state = 'DONE', lease_owner = NULL, lease_until = NULL, updated_at = ?,"
          + " last_error = NULL WHERE idempotency_key = ? AND lease_owner = ?";
      String retrySql = "UPDATE delivery_intents SET lease_owner = NULL, lease_until = NULL, next_attempt_at = ?, last_error = ?,"
          + " updated_at = ? WHERE idempotency_key = ? AND lease_owner = ?";
      String refusedSql = "UPDATE delivery_intents SET state = 'FAILED', lease_owner = NULL, lease_until = NULL, last_error = ?,"
          + " updated_at = ? WHERE idempotency_key = ? AND lease_owner = ?";
      int done = 0;
      try (PreparedStatement d = c.prepareStatement(doneSql); PreparedStatement r = c.prepareStatement(retrySql);
          PreparedStatement f = c.prepareStatement(refusedSql)) {
        List<Integer> doneIndex = new ArrayList<>();
        for (Outcome o : outcomes) {
          DeliveryIntent i = o.intent();
          if (o.error() == null) {
            Jdbc.setInstant(d, 1, now);
            d.setString(2, i.idempotencyKey());
            d.setString(3, i.leaseOwner());
            d.addBatch();
            meter.row("DONE", now, i.idempotencyKey());
          } else if (o.refused()) {
            f.setString(1, o.error());
            Jdbc.setInstant(f, 2, now);
            f.setString(3, i.idempotencyKey());
            f.setString(4, i.leaseOwner());
            f.addBatch();
            meter.row("FAILED", o.error(), now, i.idempotencyKey());
          } else {
            Jdbc.setInstant(r, 1, o.nextAttemptAt());
            r.setString(2, o.error());
            Jdbc.setInstant(r, 3, now);
            r.setString(4, i.idempotencyKey());
            r.setString(5, i.leaseOwner());
            r.addBatch();
            meter.row(o.nextAttemptAt(), o.error(), now, i.idempotencyKey());
          }
        }
        for (int n : d.executeBatch()) done += n > 0 ? 1 : 0;
        r.executeBatch();
        f.executeBatch();
      }
      return done;
    });
  }

  /** How many intents wait to be carried out now or later (pending, claimed or not). */
  @Override
  public int pending() throws StoreException {
    return transactions.withConnection("count pending delivery intents", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM delivery_intents WHERE state = 'PENDING'");
          ResultSet row = s.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    });
  }

  @Override
  public boolean quietSince(UnitOfWork unit, String app, String site, Instant since) throws StoreException {
    Connection c = JdbcTransactions.connection(unit);
    String sql = "SELECT 1 FROM delivery_intents WHERE app = ? AND site = ? AND (state = 'PENDING' OR updated_at >= ?) LIMIT 1";
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, app);
      s.setString(2, site);
      Jdbc.setInstant(s, 3, since);
      try (ResultSet row = s.executeQuery()) {
        return !row.next();
      }
    } catch (SQLException e) {
      throw new StoreException("read the deliveries of " + app + " to site " + site, e);
    }
  }

  private static DeliveryIntent read(ResultSet rows) throws SQLException {
    return new DeliveryIntent(rows.getString("idempotency_key"), rows.getString("rollout_id"), rows.getString("wave"),
        rows.getString("site"), rows.getString("app"), rows.getString("revision"), rows.getString("delivery"), rows.getInt("attempts"),
        Jdbc.getInstant(rows, "next_attempt_at"), rows.getString("lease_owner"));
  }
}
