package dev.flotilla.store;

import dev.flotilla.rollout.Rollout;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Converts the rollouts of stored format 1 (one JSON body per rollout, the snapshot record itself)
 * to format 2 (a header, a plan and a row per site), so an engine of this version reads a database
 * an older one wrote. Registered with Flyway by {@link Database}, between V4 (new columns and
 * tables) and V6 (drops the body column).
 */
final class V5__Rollout_bodies_to_rows extends BaseJavaMigration {

  @Override
  public void migrate(Context context) throws Exception {
    Connection c = context.getConnection();
    JdbcRolloutStore store = new JdbcRolloutStore(null);
    try (PreparedStatement select = c.prepareStatement("SELECT id, body FROM rollouts WHERE body IS NOT NULL");
        PreparedStatement update = c.prepareStatement("UPDATE rollouts SET header = ?, plan = ? WHERE id = ?");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        String id = rows.getString(1);
        // Format 1 was the record as Jackson writes it; fields added since (retiredAt) read as absent.
        Rollout r = RolloutRows.json().readValue(rows.getString(2), Rollout.class);
        update.setString(1, RolloutRows.header(r));
        update.setString(2, RolloutRows.plan(r));
        update.setString(3, id);
        update.executeUpdate();
        store.insertSites(c, id, r.sites(), "convert rollout " + id + " to stored format 2");
      }
    }
  }
}
