package dev.flotilla.delivery.pull;

import dev.flotilla.delivery.Health;
import java.time.Instant;
import java.util.Objects;

/**
 * One report of an agent about one app, as it travels from the agent's queue to the engine:
 * {@code seq} is its place in the site's queue (1, 2, 3, …; the engine takes each once),
 * {@code revision} and {@code sequence} the bundle the site runs (or tried, when {@code health} is
 * {@code FAILED}; revision null and sequence 0 before any), and a hold when the site's operator
 * put one ({@code holdUntil} null otherwise).
 */
public record AgentReport(long seq, String app, String revision, long sequence, Health health, Instant observedAt, String message,
    Instant holdUntil, String holdReason) {
  public AgentReport {
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(observedAt, "observedAt");
    if (seq < 1) throw new IllegalArgumentException("a report's seq starts at 1, got " + seq);
    message = message == null ? "" : message;
    if (holdUntil == null) holdReason = null;
    else holdReason = holdReason == null ? "" : holdReason;
  }

  public AgentReport withSeq(long n) {
    return new AgentReport(n, app, revision, sequence, health, observedAt, message, holdUntil, holdReason);
  }

  public AgentReport withObservedAt(Instant at) {
    return new AgentReport(seq, app, revision, sequence, health, at, message, holdUntil, holdReason);
  }

  /** True when a hold was in force when the site reported. */
  public boolean held() {
    return holdUntil != null && observedAt.isBefore(holdUntil);
  }
}
