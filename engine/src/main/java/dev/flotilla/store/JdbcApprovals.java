package dev.flotilla.store;

import dev.flotilla.engine.port.ApprovalStore;
import dev.flotilla.engine.port.UnitOfWork;
import dev.flotilla.engine.port.Approval;
import dev.flotilla.engine.port.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Approvals of waves, in the {@code approvals} table. */
public final class JdbcApprovals implements ApprovalStore {
  private final JdbcTransactions transactions;

  public JdbcApprovals(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Records the approval in the caller's transaction; false when this actor had already approved
   * this wave (the first approval stands).
   */
  @Override
  public boolean add(UnitOfWork unit, Approval approval) throws StoreException {
    Connection connection = JdbcTransactions.connection(unit);
    // INSERT ... SELECT ... WHERE NOT EXISTS instead of catching the key violation: on PostgreSQL a
    // failed statement aborts the whole transaction, and the caller's other writes with it.
    String sql = "INSERT INTO approvals (rollout_id, wave, actor, at, comment)"
        + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS"
        + " (SELECT 1 FROM approvals WHERE rollout_id = ? AND wave = ? AND actor = ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, approval.rolloutId());
      insert.setString(2, approval.wave());
      insert.setString(3, approval.actor());
      Jdbc.setInstant(insert, 4, approval.at());
      insert.setString(5, approval.comment().orElse(null));
      insert.setString(6, approval.rolloutId());
      insert.setString(7, approval.wave());
      insert.setString(8, approval.actor());
      return insert.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException(describe(approval), e);
    }
  }

  @Override
  public boolean add(Approval approval) throws StoreException {
    return transactions.inTransaction(describe(approval), unit -> add(unit, approval));
  }

  /** Every approval of the rollout, in the order they were given. */
  @Override
  public List<Approval> forRollout(String rolloutId) throws StoreException {
    String sql = "SELECT rollout_id, wave, actor, at, comment FROM approvals WHERE rollout_id = ? ORDER BY at, actor";
    return transactions.withConnection("list approvals of rollout " + rolloutId, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, rolloutId);
        List<Approval> approvals = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            approvals.add(new Approval(rows.getString("rollout_id"), rows.getString("wave"),
                rows.getString("actor"), Jdbc.getInstant(rows, "at"),
                Optional.ofNullable(rows.getString("comment"))));
          }
        }
        return approvals;
      }
    });
  }

  private static String describe(Approval approval) {
    return "record approval of rollout " + approval.rolloutId() + " wave " + approval.wave() + " by " + approval.actor();
  }
}
