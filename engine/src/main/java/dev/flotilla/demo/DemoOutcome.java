package dev.flotilla.demo;

import dev.flotilla.engine.view.RolloutView;
import java.time.Instant;
import java.util.List;

/**
 * How a demo run ended: whether the scenario ended as it should (the release completed; or, for
 * bad-release, the release halted and its rollback completed), a sentence saying so, the report,
 * and the simulated span and rounds it took.
 */
public record DemoOutcome(boolean asExpected, String verdict, DemoReport report, List<RolloutView> rollouts, Instant simulatedFrom,
    Instant simulatedTo, int rounds) {
  public DemoOutcome {
    rollouts = List.copyOf(rollouts);
  }
}
