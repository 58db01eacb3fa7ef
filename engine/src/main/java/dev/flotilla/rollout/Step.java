package dev.flotilla.rollout;

import java.util.List;
import java.util.Objects;

/** The outcome of one reconcile step: the rollout's next snapshot, what to do, what happened, and what it waits on. */
public record Step(Rollout next, List<RolloutAction> actions, List<AuditEvent> events, Wait waitingOn) {
  public Step {
    Objects.requireNonNull(next, "next");
    actions = List.copyOf(actions);
    events = List.copyOf(events);
    Objects.requireNonNull(waitingOn, "waitingOn");
  }

  /** Whether the step changed nothing: the adapter need not store anything. */
  public boolean quiet() {
    return actions.isEmpty() && events.isEmpty();
  }
}
