package dev.flotilla.fleet;

import java.util.List;
import java.util.Objects;

/**
 * The ordered waves through which an app's releases are promoted, what to do on failure, and how a
 * push site takes a release ({@code blueGreen} null: in place, each workload's own rolling update).
 */
public record RolloutPolicy(String name, List<WaveSpec> waves, Supersede supersede, OnFailure onFailure, BlueGreen blueGreen) {

  /** What a newer revision does to a running rollout of the same app. */
  public enum Supersede {
    /** The newest waiting revision starts when the running rollout finishes or halts. */
    QUEUE,
    /** The running rollout is cancelled; the new one starts from the first wave. */
    IMMEDIATE
  }

  /** What happens when a wave's failures pass its threshold. */
  public enum OnFailure {
    HALT,
    ROLLBACK
  }

  public RolloutPolicy {
    Objects.requireNonNull(name, "name");
    waves = List.copyOf(waves);
    supersede = supersede == null ? Supersede.QUEUE : supersede;
    onFailure = onFailure == null ? OnFailure.HALT : onFailure;
  }

  /** A policy whose push sites take releases in place. */
  public RolloutPolicy(String name, List<WaveSpec> waves, Supersede supersede, OnFailure onFailure) {
    this(name, waves, supersede, onFailure, null);
  }

  /** The blue/green strategy, if the policy chose {@code strategy: blueGreen}. */
  public java.util.Optional<BlueGreen> blueGreenStrategy() {
    return java.util.Optional.ofNullable(blueGreen);
  }
}
