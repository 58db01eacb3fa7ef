package dev.flotilla.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.flotilla.engine.port.GateSignalStore;
import dev.flotilla.engine.port.RecordedSignals;
import dev.flotilla.engine.port.StoreException;
import dev.flotilla.rollout.CiStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Gate signals per rollout ({@code gate_signals}): one row each, the values as a small JSON
 * document ({@code {"format":1,"ci":{context:{"status","since"}},"analysis","analysisError","analysisAt"}}).
 */
public final class JdbcGateSignals implements GateSignalStore {
  private static final int FORMAT = 1;

  private final JdbcTransactions transactions;

  public JdbcGateSignals(JdbcTransactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void put(RecordedSignals signals) throws StoreException {
    String body = encode(signals);
    transactions.withConnection("record the gate signals of rollout " + signals.rolloutId(), c -> {
      try (PreparedStatement u = c.prepareStatement("UPDATE gate_signals SET wave = ?, signals = ?, fetched_at = ? WHERE rollout_id = ?")) {
        u.setInt(1, signals.wave());
        u.setString(2, body);
        Jdbc.setInstant(u, 3, signals.fetchedAt());
        u.setString(4, signals.rolloutId());
        if (u.executeUpdate() == 1) return null;
      }
      try (PreparedStatement i = c.prepareStatement("INSERT INTO gate_signals (rollout_id, wave, signals, fetched_at) VALUES (?, ?, ?, ?)")) {
        i.setString(1, signals.rolloutId());
        i.setInt(2, signals.wave());
        i.setString(3, body);
        Jdbc.setInstant(i, 4, signals.fetchedAt());
        i.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Map<String, RecordedSignals> all() throws StoreException {
    return transactions.withConnection("read the gate signals", c -> {
      Map<String, RecordedSignals> out = new HashMap<>();
      try (PreparedStatement s = c.prepareStatement("SELECT rollout_id, wave, signals, fetched_at FROM gate_signals");
          ResultSet rows = s.executeQuery()) {
        while (rows.next()) out.put(rows.getString(1), decode(rows));
      }
      return out;
    });
  }

  @Override
  public void retain(Collection<String> rolloutIds) throws StoreException {
    Set<String> keep = new HashSet<>(rolloutIds);
    transactions.withConnection("forget gate signals", c -> {
      List<String> gone = new java.util.ArrayList<>();
      try (PreparedStatement s = c.prepareStatement("SELECT rollout_id FROM gate_signals"); ResultSet rows = s.executeQuery()) {
        while (rows.next()) if (!keep.contains(rows.getString(1))) gone.add(rows.getString(1));
      }
      if (gone.isEmpty()) return null;
      try (PreparedStatement d = c.prepareStatement("DELETE FROM gate_signals WHERE rollout_id = ?")) {
        for (String id : gone) {
          d.setString(1, id);
          d.addBatch();
        }
        d.executeBatch();
      }
      return null;
    });
  }

  private static String encode(RecordedSignals s) {
    ObjectNode doc = RolloutRows.json().createObjectNode();
    doc.put("format", FORMAT);
    ObjectNode ci = doc.putObject("ci");
    s.ci().forEach((context, status) -> {
      ObjectNode one = ci.putObject(context);
      one.put("status", status.name());
      Instant since = s.ciSince().get(context);
      if (since != null) one.put("since", since.toString());
    });
    if (s.analysis().isPresent()) doc.put("analysis", s.analysis().getAsDouble());
    if (s.analysisError() != null) doc.put("analysisError", s.analysisError());
    if (s.analysisAt() != null) doc.put("analysisAt", s.analysisAt().toString());
    return doc.toString();
  }

  private static RecordedSignals decode(ResultSet row) throws SQLException, StoreException {
    String id = row.getString(1);
    JsonNode doc;
    try {
      doc = RolloutRows.json().readTree(row.getString(3));
    } catch (JsonProcessingException e) {
      throw new StoreException("read the gate signals of rollout " + id, "not JSON: " + e.getOriginalMessage());
    }
    if (doc.path("format").asInt() != FORMAT) {
      throw new StoreException("read the gate signals of rollout " + id, "stored format " + doc.path("format")
          + " is not one this engine reads (" + FORMAT + ")");
    }
    Map<String, CiStatus> ci = new HashMap<>();
    Map<String, Instant> since = new HashMap<>();
    doc.path("ci").fields().forEachRemaining(e -> {
      ci.put(e.getKey(), CiStatus.valueOf(e.getValue().path("status").asText()));
      if (e.getValue().hasNonNull("since")) since.put(e.getKey(), Instant.parse(e.getValue().get("since").asText()));
    });
    OptionalDouble analysis = doc.hasNonNull("analysis") ? OptionalDouble.of(doc.get("analysis").asDouble()) : OptionalDouble.empty();
    String error = doc.hasNonNull("analysisError") ? doc.get("analysisError").asText() : null;
    Instant analysisAt = doc.hasNonNull("analysisAt") ? Instant.parse(doc.get("analysisAt").asText()) : null;
    return new RecordedSignals(id, row.getInt(2), ci, since, analysis, error, analysisAt, Jdbc.getInstant(row, 4));
  }
}
