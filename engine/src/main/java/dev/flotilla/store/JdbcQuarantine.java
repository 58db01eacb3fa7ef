package dev.flotilla.store;

import dev.flotilla.engine.port.QuarantineStore;
import dev.flotilla.engine.port.Quarantined;
import dev.flotilla.engine.port.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Stored items set aside, in the {@code quarantine} table. */
public final class JdbcQuarantine implements QuarantineStore {
  private final JdbcTransactions transactions;

  public JdbcQuarantine(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public boolean add(Quarantined item) throws StoreException {
    String sql = "INSERT INTO quarantine (kind, item_id, reason, at) SELECT ?, ?, ?, ? WHERE NOT EXISTS"
        + " (SELECT 1 FROM quarantine WHERE kind = ? AND item_id = ?)";
    try {
      return transactions.withConnection("quarantine " + item.kind() + " " + item.id(), connection -> {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
          insert.setString(1, item.kind());
          insert.setString(2, item.id());
          insert.setString(3, item.reason());
          Jdbc.setInstant(insert, 4, item.at());
          insert.setString(5, item.kind());
          insert.setString(6, item.id());
          return insert.executeUpdate() == 1;
        }
      });
    } catch (StoreException e) {
      // Two threads (the pass and the report collector) may find the same damaged item at once:
      // "not exists" holds for both, and the second insert meets the first's key. It is there.
      if (e.getCause() instanceof java.sql.SQLException failure && "23505".equals(failure.getSQLState())) return false;
      throw e;
    }
  }

  @Override
  public boolean remove(String kind, String id) throws StoreException {
    return transactions.withConnection("release " + kind + " " + id + " from quarantine", connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM quarantine WHERE kind = ? AND item_id = ?")) {
        delete.setString(1, kind);
        delete.setString(2, id);
        return delete.executeUpdate() == 1;
      }
    });
  }

  @Override
  public List<Quarantined> all() throws StoreException {
    return transactions.withConnection("list the quarantine", connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT kind, item_id, reason, at FROM quarantine ORDER BY at, kind, item_id");
          ResultSet rows = select.executeQuery()) {
        List<Quarantined> out = new ArrayList<>();
        while (rows.next()) {
          out.add(new Quarantined(rows.getString("kind"), rows.getString("item_id"), rows.getString("reason"), Jdbc.getInstant(rows, "at")));
        }
        return out;
      }
    });
  }
}
