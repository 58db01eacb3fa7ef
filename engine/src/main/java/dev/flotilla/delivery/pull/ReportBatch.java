package dev.flotilla.delivery.pull;

import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /api/v1/sites/{site}/reports}: reports of one queue ({@code queue}, the
 * agent's queue epoch), in order, and the agent's trust version ({@code trust}; null from agents
 * older than trust updates). The answer is a {@link Taken}: everything up to its {@code seq} has
 * been taken and may leave the agent's queue.
 */
public record ReportBatch(String queue, List<AgentReport> reports, SiteTrust trust) {
  public static final int MAX_REPORTS = 500;

  public ReportBatch {
    Objects.requireNonNull(queue, "queue");
    reports = List.copyOf(reports == null ? List.of() : reports);
  }

  public ReportBatch(String queue, List<AgentReport> reports) {
    this(queue, reports, null);
  }

  /** The answer: the highest seq of the queue the engine has taken. */
  public record Taken(long seq) {}
}
