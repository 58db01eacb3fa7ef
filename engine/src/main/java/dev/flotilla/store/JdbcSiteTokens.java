package dev.flotilla.store;

import dev.flotilla.delivery.pull.SiteTokens;
import dev.flotilla.engine.port.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/** Site tokens in {@code site_tokens}, by hash. */
public final class JdbcSiteTokens implements SiteTokens {
  private final JdbcTransactions transactions;
  private final Clock clock;

  public JdbcSiteTokens(JdbcTransactions transactions, Clock clock) {
    this.transactions = transactions;
    this.clock = clock;
  }

  @Override
  public void put(String site, String tokenSha256) throws StoreException {
    transactions.withConnection("store the token of site " + site, c -> {
      try (PreparedStatement d = c.prepareStatement("DELETE FROM site_tokens WHERE site = ?")) {
        d.setString(1, site);
        d.executeUpdate();
      }
      try (PreparedStatement i = c.prepareStatement("INSERT INTO site_tokens (site, token_sha256, created_at) VALUES (?, ?, ?)")) {
        i.setString(1, site);
        i.setString(2, tokenSha256);
        Jdbc.setInstant(i, 3, clock.instant());
        i.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<String> siteOf(String tokenSha256) throws StoreException {
    return transactions.withConnection("look up a site token", c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT site FROM site_tokens WHERE token_sha256 = ?")) {
        s.setString(1, tokenSha256);
        try (ResultSet row = s.executeQuery()) {
          return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
        }
      }
    });
  }
}
