package dev.flotilla.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.SyncAttempt;
import dev.flotilla.engine.port.SyncAttemptStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sync attempts in {@code sync_attempts} (V15): a row per attempt, or per run of identical ones
 * ({@code attempt_count}, {@code last_at}); the newest {@code keep} rows are kept, older ones are
 * deleted in the transaction that adds a row. Problems and failed releases are small JSON documents.
 */
public final class JdbcSyncAttempts implements SyncAttemptStore {
  private static final String COLUMNS =
      "id, repo, branch, attempted_at, last_at, attempt_count, revision, outcome, error, problems, failed_releases, replica";
  private static final TypeReference<List<String>> LINES = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> REASONS = new TypeReference<>() {};

  private final JdbcTransactions transactions;
  private final int keep;

  public JdbcSyncAttempts(JdbcTransactions transactions) {
    this(transactions, SyncAttemptStore.KEEP);
  }

  public JdbcSyncAttempts(JdbcTransactions transactions, int keep) {
    if (keep < 1) throw new IllegalArgumentException("keep must be 1 or more, got " + keep);
    this.transactions = transactions;
    this.keep = keep;
  }

  /**
   * Folds a repeat into the newest row, else adds a row and forgets the oldest beyond the bound. Two
   * replicas recording at the same moment may both add a row where one would have been folded: the
   * read and the write are not serialized across replicas, and two rows say no less than one.
   */
  @Override
  public void record(SyncAttempt attempt) throws StoreException {
    transactions.withConnection("record the sync attempt of " + attempt.branch() + " at " + attempt.at(), c -> {
      Optional<Row> newest = newest(c, attempt.repo(), attempt.branch());
      if (newest.isPresent() && newest.get().attempt().repeatedBy(attempt)) {
        fold(c, newest.get().id(), attempt);
      } else {
        insert(c, attempt);
        forgetBeyondBound(c);
      }
      return null;
    });
  }

  @Override
  public List<SyncAttempt> recent(String repo, String branch, int limit) throws StoreException {
    return transactions.withConnection("read the sync attempts of " + branch, c -> {
      List<SyncAttempt> out = new ArrayList<>();
      for (Row row : select(c, repo, branch, limit)) out.add(row.attempt());
      return out;
    });
  }

  /** A stored attempt and its row id. */
  private record Row(long id, SyncAttempt attempt) {}

  private Optional<Row> newest(Connection c, String repo, String branch) throws SQLException, StoreException {
    return select(c, repo, branch, 1).stream().findFirst();
  }

  private static List<Row> select(Connection c, String repo, String branch, int limit) throws SQLException, StoreException {
    String sql = "SELECT " + COLUMNS + " FROM sync_attempts WHERE repo = ? AND branch = ? ORDER BY id DESC LIMIT " + Math.max(0, limit);
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, repo);
      s.setString(2, branch);
      try (ResultSet rows = s.executeQuery()) {
        List<Row> out = new ArrayList<>();
        while (rows.next()) out.add(read(rows));
        return out;
      }
    }
  }

  private static void fold(Connection c, long id, SyncAttempt repeat) throws SQLException {
    String sql = "UPDATE sync_attempts SET attempt_count = attempt_count + ?, last_at = ?, replica = ? WHERE id = ?";
    try (PreparedStatement u = c.prepareStatement(sql)) {
      u.setInt(1, repeat.count());
      Jdbc.setInstant(u, 2, repeat.lastAt());
      u.setString(3, repeat.replica());
      u.setLong(4, id);
      u.executeUpdate();
    }
  }

  private static void insert(Connection c, SyncAttempt a) throws SQLException, StoreException {
    String sql = "INSERT INTO sync_attempts (repo, branch, attempted_at, last_at, attempt_count, revision, outcome, error, problems,"
        + " failed_releases, replica) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    try (PreparedStatement i = c.prepareStatement(sql)) {
      i.setString(1, a.repo());
      i.setString(2, a.branch());
      Jdbc.setInstant(i, 3, a.at());
      Jdbc.setInstant(i, 4, a.lastAt());
      i.setInt(5, a.count());
      i.setString(6, a.revision());
      i.setString(7, a.outcome());
      i.setString(8, a.error());
      i.setString(9, write(a.problems(), a));
      i.setString(10, write(a.failedReleases(), a));
      i.setString(11, a.replica());
      i.executeUpdate();
    }
  }

  /** Deletes every row older than the newest {@code keep}, of whichever repo and branch. */
  private void forgetBeyondBound(Connection c) throws SQLException {
    String sql = "DELETE FROM sync_attempts WHERE id <= (SELECT id FROM sync_attempts ORDER BY id DESC LIMIT 1 OFFSET " + keep + ")";
    try (PreparedStatement d = c.prepareStatement(sql)) {
      d.executeUpdate();
    }
  }

  private static Row read(ResultSet row) throws SQLException, StoreException {
    long id = row.getLong("id");
    try {
      return new Row(id, new SyncAttempt(row.getString("repo"), row.getString("branch"), Jdbc.getInstant(row, "attempted_at"),
          Jdbc.getInstant(row, "last_at"), row.getInt("attempt_count"), row.getString("revision"), row.getString("outcome"),
          row.getString("error"), RolloutRows.json().readValue(row.getString("problems"), LINES),
          RolloutRows.json().readValue(row.getString("failed_releases"), REASONS), row.getString("replica")));
    } catch (JsonProcessingException e) {
      throw new StoreException("read sync attempt " + id, "not JSON: " + e.getOriginalMessage());
    }
  }

  private static String write(Object document, SyncAttempt a) throws StoreException {
    try {
      return RolloutRows.json().writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new StoreException("write the sync attempt of " + a.branch() + " at " + a.at(), e);
    }
  }
}
