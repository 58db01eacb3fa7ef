package dev.flotilla.store;

import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.WebhookDeliveries;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/** Webhook deliveries by id ({@code webhook_deliveries}, V11). */
public final class JdbcWebhookDeliveries implements WebhookDeliveries {
  private final JdbcTransactions transactions;

  public JdbcWebhookDeliveries(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public boolean firstSeen(String provider, String deliveryId, String event, Instant at) throws StoreException {
    try {
      return transactions.withConnection("record webhook delivery " + provider + "/" + deliveryId, c -> {
        try (PreparedStatement i = c.prepareStatement("INSERT INTO webhook_deliveries (provider, delivery_id, event, received_at) "
            + "SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE provider = ? AND delivery_id = ?)")) {
          i.setString(1, provider);
          i.setString(2, deliveryId);
          i.setString(3, event.length() > 100 ? event.substring(0, 100) : event);
          Jdbc.setInstant(i, 4, at);
          i.setString(5, provider);
          i.setString(6, deliveryId);
          return i.executeUpdate() == 1;
        }
      });
    } catch (StoreException e) {
      // Two replicas (or threads) inserting the same delivery at once: the loser hits the key.
      if (e.getCause() instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) return false;
      throw e;
    }
  }

  @Override
  public int forgetBefore(Instant before) throws StoreException {
    return transactions.withConnection("forget webhook deliveries before " + before, c -> {
      try (PreparedStatement d = c.prepareStatement("DELETE FROM webhook_deliveries WHERE received_at < ?")) {
        Jdbc.setInstant(d, 1, before);
        return d.executeUpdate();
      }
    });
  }
}
