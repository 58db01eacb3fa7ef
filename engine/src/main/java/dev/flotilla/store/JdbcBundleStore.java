package dev.flotilla.store;

import dev.flotilla.delivery.pull.BundleStore;
import dev.flotilla.engine.port.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** Bundles in the database ({@code pull_bundles}), so every replica sharing it serves every agent. */
public final class JdbcBundleStore implements BundleStore {
  private final JdbcTransactions transactions;

  public JdbcBundleStore(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void put(String site, String app, long sequence, byte[] tar) throws StoreException {
    transactions.withConnection("store bundle " + site + "/" + app + " sequence " + sequence, c -> {
      try (PreparedStatement d = c.prepareStatement("DELETE FROM pull_bundles WHERE site = ? AND app = ? AND sequence = ?")) {
        d.setString(1, site);
        d.setString(2, app);
        d.setLong(3, sequence);
        d.executeUpdate();
      }
      try (PreparedStatement i = c.prepareStatement("INSERT INTO pull_bundles (site, app, sequence, bytes) VALUES (?, ?, ?, ?)")) {
        i.setString(1, site);
        i.setString(2, app);
        i.setLong(3, sequence);
        i.setBytes(4, tar);
        i.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<byte[]> get(String site, String app, long sequence) throws StoreException {
    return transactions.withConnection("read bundle " + site + "/" + app + " sequence " + sequence, c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT bytes FROM pull_bundles WHERE site = ? AND app = ? AND sequence = ?")) {
        s.setString(1, site);
        s.setString(2, app);
        s.setLong(3, sequence);
        try (ResultSet row = s.executeQuery()) {
          return row.next() ? Optional.of(row.getBytes(1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public void dropBelow(String site, String app, long sequence) throws StoreException {
    transactions.withConnection("drop old bundles of " + site + "/" + app, c -> {
      try (PreparedStatement d = c.prepareStatement("DELETE FROM pull_bundles WHERE site = ? AND app = ? AND sequence < ?")) {
        d.setString(1, site);
        d.setString(2, app);
        d.setLong(3, sequence);
        d.executeUpdate();
      }
      return null;
    });
  }
}
