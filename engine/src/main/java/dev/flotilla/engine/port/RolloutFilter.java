package dev.flotilla.engine.port;

import java.util.Optional;

/** Which rollouts a list returns; an empty field matches every value. */
public record RolloutFilter(Optional<String> app, Optional<String> state) {
  public static RolloutFilter all() {
    return new RolloutFilter(Optional.empty(), Optional.empty());
  }

  public RolloutFilter withApp(String app) {
    return new RolloutFilter(Optional.of(app), state);
  }

  public RolloutFilter withState(String state) {
    return new RolloutFilter(app, Optional.of(state));
  }
}
