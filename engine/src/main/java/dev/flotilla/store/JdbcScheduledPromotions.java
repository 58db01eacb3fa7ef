package dev.flotilla.store;

import dev.flotilla.engine.port.PromotionStore;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.ScheduledPromotion;
import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Scheduled promotions, in the {@code scheduled_promotions} table. */
public final class JdbcScheduledPromotions implements PromotionStore {
  private static final String COLUMNS = "id, rollout_id, at, actor, created_at, done_at, wave";

  private final JdbcTransactions transactions;

  public JdbcScheduledPromotions(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void insert(UnitOfWork unit, ScheduledPromotion promotion) throws StoreException {
    Connection connection = JdbcTransactions.connection(unit);
    String sql = "INSERT INTO scheduled_promotions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, promotion.id());
      insert.setString(2, promotion.rolloutId());
      Jdbc.setInstant(insert, 3, promotion.at());
      insert.setString(4, promotion.actor());
      Jdbc.setInstant(insert, 5, promotion.createdAt());
      Jdbc.setInstant(insert, 6, promotion.doneAt().orElse(null));
      insert.setString(7, promotion.wave().orElse(null));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("schedule promotion " + promotion.id() + " of rollout " + promotion.rolloutId(), e);
    }
  }

  @Override
  public void insert(ScheduledPromotion promotion) throws StoreException {
    transactions.inTransaction("schedule promotion " + promotion.id(), unit -> {
      insert(unit, promotion);
      return null;
    });
  }

  /**
   * Marks the promotion done, once: true for the caller that marked it, false when it was already
   * done (or does not exist). A promotion job that gets false must not promote.
   */
  @Override
  public boolean markDone(UnitOfWork unit, String id, Instant doneAt) throws StoreException {
    Connection connection = JdbcTransactions.connection(unit);
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE scheduled_promotions SET done_at = ? WHERE id = ? AND done_at IS NULL")) {
      Jdbc.setInstant(update, 1, doneAt);
      update.setString(2, id);
      return update.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("mark promotion " + id + " done", e);
    }
  }

  @Override
  public boolean markDone(String id, Instant doneAt) throws StoreException {
    return transactions.inTransaction("mark promotion " + id + " done", unit -> markDone(unit, id, doneAt));
  }

  @Override
  public Optional<ScheduledPromotion> get(String id) throws StoreException {
    return transactions.withConnection("read promotion " + id, connection -> {
      List<ScheduledPromotion> found = query(connection, "SELECT " + COLUMNS + " FROM scheduled_promotions WHERE id = ?", id);
      return found.stream().findFirst();
    });
  }

  /** Promotions not yet done, soonest first. */
  @Override
  public List<ScheduledPromotion> pending() throws StoreException {
    return transactions.withConnection("list pending promotions", connection -> query(connection,
        "SELECT " + COLUMNS + " FROM scheduled_promotions WHERE done_at IS NULL ORDER BY at, id"));
  }

  /** Every promotion of one rollout, done or not, soonest first. */
  @Override
  public List<ScheduledPromotion> forRollout(String rolloutId) throws StoreException {
    return transactions.withConnection("list promotions of rollout " + rolloutId, connection -> query(connection,
        "SELECT " + COLUMNS + " FROM scheduled_promotions WHERE rollout_id = ? ORDER BY at, id", rolloutId));
  }

  private static List<ScheduledPromotion> query(Connection connection, String sql, String... values) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      for (int i = 0; i < values.length; i++) select.setString(i + 1, values[i]);
      List<ScheduledPromotion> promotions = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          promotions.add(new ScheduledPromotion(rows.getString("id"), rows.getString("rollout_id"),
              Jdbc.getInstant(rows, "at"), rows.getString("actor"), Jdbc.getInstant(rows, "created_at"),
              Optional.ofNullable(Jdbc.getInstant(rows, "done_at")), Optional.ofNullable(rows.getString("wave"))));
        }
      }
      return promotions;
    }
  }
}
