package dev.flotilla.engine.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored item set aside because the engine cannot use it: its kind ({@code rollout}, {@code
 * scheduled-promotion}), its id, why, and since when.
 */
public record Quarantined(String kind, String id, String reason, Instant at) {
  public static final String ROLLOUT = "rollout";
  public static final String SCHEDULED_PROMOTION = "scheduled-promotion";
  /** Stored reasons are cut to this many characters. */
  public static final int MAX_REASON = 2000;

  public Quarantined {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
    reason = Objects.requireNonNull(reason, "reason");
    if (reason.length() > MAX_REASON) reason = reason.substring(0, MAX_REASON - 3) + "...";
    at = StoredInstants.micros(Objects.requireNonNull(at, "at"));
  }
}
