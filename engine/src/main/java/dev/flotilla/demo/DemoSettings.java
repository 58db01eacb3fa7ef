package dev.flotilla.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to run the demo: the scenario, the fleet size ({@code 0}: the example as it is), where the
 * example fleet is and where to work, the kustomize binary ({@code null}: looked up), how much
 * simulated time one round covers, the real pause after a round that changed what is shown
 * (zero when headless), and whether the push sites run on in-process mock API servers through the
 * real push adapter ({@code pushMock}) instead of the simulator.
 */
public record DemoSettings(DemoScenario scenario, int sites, Path example, Path workDir, String kustomize, Duration step,
    Duration pause, boolean pushMock) {
  /** Five simulated minutes per round: a 30-minute soak takes six rounds, a night's window 36. */
  public static final Duration STEP = Duration.ofMinutes(5);
  /** Long enough to read a board between changes, short enough to watch a release in about a minute. */
  public static final Duration PAUSE = Duration.ofMillis(120);

  public DemoSettings {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(example, "example");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(pause, "pause");
    if (sites < 0) throw new IllegalArgumentException("--sites must be positive, got " + sites);
    if (step.isZero() || step.isNegative()) throw new IllegalArgumentException("a round must cover some simulated time: " + step);
  }

  /** Runs to the end with no pauses. */
  public static DemoSettings headless(DemoScenario scenario, int sites, Path example, Path workDir) {
    return new DemoSettings(scenario, sites, example, workDir, null, STEP, Duration.ZERO, false);
  }

  public DemoSettings withKustomize(String binary) {
    return new DemoSettings(scenario, sites, example, workDir, binary, step, pause, pushMock);
  }

  public DemoSettings withPause(Duration newPause) {
    return new DemoSettings(scenario, sites, example, workDir, kustomize, step, newPause, pushMock);
  }

  /** The push sites (data centers and micro data centers) on in-process fabric8 mock API servers, applied to for real. */
  public DemoSettings withPushMock(boolean on) {
    return new DemoSettings(scenario, sites, example, workDir, kustomize, step, pause, on);
  }
}
