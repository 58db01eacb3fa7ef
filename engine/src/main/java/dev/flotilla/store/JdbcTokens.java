package dev.flotilla.store;

import dev.flotilla.engine.port.AccessToken;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.TokenStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The API's bearer tokens, in the {@code access_tokens} table (hashes only). */
public final class JdbcTokens implements TokenStore {
  private static final String COLUMNS = "name, role, token_hash, created_at";

  private final JdbcTransactions transactions;

  public JdbcTokens(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public boolean add(AccessToken token) throws StoreException {
    // INSERT ... WHERE NOT EXISTS rather than catching the key violation (see JdbcApprovals).
    String sql = "INSERT INTO access_tokens (" + COLUMNS + ") SELECT ?, ?, ?, ? WHERE NOT EXISTS"
        + " (SELECT 1 FROM access_tokens WHERE name = ?)";
    return transactions.withConnection("create token " + token.name(), connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql)) {
        insert.setString(1, token.name());
        insert.setString(2, token.role());
        insert.setString(3, token.hash());
        Jdbc.setInstant(insert, 4, token.createdAt());
        insert.setString(5, token.name());
        return insert.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<AccessToken> byHash(String hash) throws StoreException {
    List<AccessToken> found = select("SELECT " + COLUMNS + " FROM access_tokens WHERE token_hash = ?", hash, "look up a token");
    return found.stream().findFirst();
  }

  @Override
  public List<AccessToken> all() throws StoreException {
    return select("SELECT " + COLUMNS + " FROM access_tokens ORDER BY name", null, "list tokens");
  }

  @Override
  public boolean any() throws StoreException {
    return transactions.withConnection("count tokens", connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM access_tokens FETCH FIRST 1 ROWS ONLY");
          ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    });
  }

  @Override
  public boolean remove(String name) throws StoreException {
    return transactions.withConnection("revoke token " + name, connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM access_tokens WHERE name = ?")) {
        delete.setString(1, name);
        return delete.executeUpdate() == 1;
      }
    });
  }

  private List<AccessToken> select(String sql, String parameter, String doing) throws StoreException {
    return transactions.withConnection(doing, connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        if (parameter != null) select.setString(1, parameter);
        List<AccessToken> tokens = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) tokens.add(read(rows));
        }
        return tokens;
      }
    });
  }

  private static AccessToken read(ResultSet row) throws SQLException {
    return new AccessToken(row.getString("name"), row.getString("role"), row.getString("token_hash"),
        Jdbc.getInstant(row, "created_at"));
  }
}
