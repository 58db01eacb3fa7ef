package dev.flotilla.rollout;

import java.util.List;
import java.util.Objects;

/** The answer to a person's command: accepted with the next snapshot, or rejected with a reason (HTTP 409). */
public sealed interface CommandResult permits CommandResult.Accepted, CommandResult.Rejected {

  record Accepted(Rollout next, List<RolloutAction> actions, List<AuditEvent> events) implements CommandResult {
    public Accepted {
      Objects.requireNonNull(next, "next");
      actions = List.copyOf(actions);
      events = List.copyOf(events);
    }
  }

  record Rejected(String reason) implements CommandResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
