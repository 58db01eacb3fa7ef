package dev.flotilla.demo;

import dev.flotilla.engine.view.RolloutView;
import java.time.Instant;

/** Where the demo tells its story: the terminal (cli), or nowhere (headless runs and tests). */
public interface DemoOutput {

  /** A step of the story ("the fleet repo is ...", "the release is committed ..."). */
  void step(String line);

  /** Something that happened in a rollout being shown, at an instant of the demo's clock. */
  void event(Instant at, String line);

  /** The newest view of a rollout being shown; called every round, so show it only when it changed. */
  void progress(RolloutView rollout);

  DemoOutput SILENT = new DemoOutput() {
    @Override
    public void step(String line) {}

    @Override
    public void event(Instant at, String line) {}

    @Override
    public void progress(RolloutView rollout) {}
  };
}
