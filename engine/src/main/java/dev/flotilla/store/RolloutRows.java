package dev.flotilla.store;

import dev.flotilla.engine.port.StoreException;
import dev.flotilla.engine.port.UnreadableRolloutException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.flotilla.rollout.Rollout;
import dev.flotilla.rollout.RolloutKind;
import dev.flotilla.rollout.RolloutPlan;
import dev.flotilla.rollout.RolloutState;
import dev.flotilla.rollout.SiteProgress;
import dev.flotilla.rollout.WaveProgress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The stored form of a rollout, version {@value #FORMAT} (docs/storage.md): a header document
 * (what changes as the rollout moves: reason, current wave, wave progress, halt and rollback), a
 * plan document (rewritten only when the fleet's membership changes), and a row per site. Each
 * document carries {@code "format"}; a document of a format this engine does not know fails the
 * read with that number instead of being half-read, and unknown fields fail it too.
 */
final class RolloutRows {
  static final int FORMAT = 2;

  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private RolloutRows() {}

  /** The header document: everything of the rollout that is neither a column, the plan nor a site. */
  record Header(int format, String lastGoodRevision, String reason, int currentWave, List<WaveProgress> waves, Instant haltedAt,
      String rollbackId) {}

  static String header(Rollout r) {
    return write(new Header(FORMAT, r.lastGoodRevision(), r.reason(), r.currentWave(), r.waves(), r.haltedAt(), r.rollbackId()), r.id());
  }

  static String plan(Rollout r) {
    ObjectNode node = JSON.valueToTree(r.plan());
    // Left out unless set, so a plan without approval: pull-request reads in an engine from before it.
    for (JsonNode wave : node.path("waves")) {
      if (wave.path("spec").path("gates") instanceof ObjectNode gates && !gates.path("approvalByPullRequest").asBoolean(false)) {
        gates.remove("approvalByPullRequest");
      }
    }
    node.put("format", FORMAT);
    return write(node, r.id());
  }

  /** The rollout from its columns, documents and site rows. */
  static Rollout rollout(String id, String app, String revision, String kind, String state, Instant createdAt, Instant retiredAt,
      String headerJson, String planJson, Map<String, SiteProgress> sites) throws StoreException {
    try {
      Header h = JSON.readValue(headerJson, Header.class);
      checkFormat(id, "header", h.format());
      JsonNode planNode = JSON.readTree(planJson);
      checkFormat(id, "plan", planNode.path("format").asInt(-1));
      ((ObjectNode) planNode).remove("format");
      RolloutPlan plan = JSON.treeToValue(planNode, RolloutPlan.class);
      return new Rollout(id, app, revision, h.lastGoodRevision(), RolloutKind.valueOf(kind), RolloutState.valueOf(state), h.reason(), plan,
          h.currentWave(), h.waves(), sites, createdAt, h.haltedAt(), h.rollbackId(), retiredAt);
    } catch (JsonProcessingException | RuntimeException e) {
      // Damaged bytes fail in many ways (a null document, a record that refuses its values): each is one unreadable rollout.
      throw new UnreadableRolloutException(id, "its stored form cannot be read: " + e.getMessage());
    }
  }

  private static void checkFormat(String id, String what, int format) throws StoreException {
    if (format != FORMAT) {
      throw new UnreadableRolloutException(id, "its " + what + " is in stored format " + format + ", this engine reads format "
          + FORMAT + " (see docs/storage.md for supported upgrades)");
    }
  }

  private static String write(Object value, String id) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("rollout " + id + " cannot be written as JSON", e);
    }
  }

  static ObjectMapper json() {
    return JSON;
  }
}
