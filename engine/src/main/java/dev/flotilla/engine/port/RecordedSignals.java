package dev.flotilla.engine.port;

import dev.flotilla.rollout.CiStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The gate signals fetched for one rollout's current wave, and when: each CI context's status and
 * since when it has had it, the analysis value (or why there is none) and when it was measured.
 * Stored, so that every replica's pass and API see the same values and their age.
 */
public record RecordedSignals(String rolloutId, int wave, Map<String, CiStatus> ci, Map<String, Instant> ciSince,
    OptionalDouble analysis, String analysisError, Instant analysisAt, Instant fetchedAt) {
  public RecordedSignals {
    Objects.requireNonNull(rolloutId, "rolloutId");
    ci = Map.copyOf(ci);
    ciSince = Map.copyOf(ciSince);
    Objects.requireNonNull(analysis, "analysis");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }
}
