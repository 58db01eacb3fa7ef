package dev.flotilla.engine;

import dev.flotilla.fleet.FleetLoader;
import dev.flotilla.fleet.FleetModel;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.git.Snapshot;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.Planner;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import dev.flotilla.render.RenderResult;
import java.time.Clock;

/**
 * The plan of moving the fleet repo from one revision to another: both loaded, validated and
 * rendered, then planned. One service for {@code flotilla plan} and the pull request preview.
 */
public final class RevisionPlanner {
  private final FleetRepoSource source;
  private final FleetRenderer renderer;
  private final Clock clock;

  /** A planner whose plans reckon the next opening of each wave's window from {@code clock}'s now. */
  public RevisionPlanner(FleetRepoSource source, FleetRenderer renderer, Clock clock) {
    this.source = source;
    this.renderer = renderer;
    this.clock = clock;
  }

  /** The commit {@code revision} (a SHA, a branch, a tag) names; a {@link GitSyncException} when it names none. */
  public String resolve(String revision) throws GitSyncException {
    return source.resolve(revision);
  }

  /** Plans {@code from} → {@code to}; an invalid fleet or a failed render at either end is thrown as it is. */
  public Plan plan(String from, String to) throws GitSyncException, FleetValidationException, RenderException {
    Snapshot before = source.snapshot(source.resolve(from));
    Snapshot after = source.snapshot(source.resolve(to));
    FleetModel fromModel = FleetLoader.load(before.root());
    FleetModel toModel = FleetLoader.load(after.root());
    RenderResult fromStates = renderer.render(fromModel, before.root(), before.revision());
    RenderResult toStates = renderer.render(toModel, after.root(), after.revision());
    return Planner.plan(fromModel, PlanInputs.from(fromStates, before.revision()), toModel, PlanInputs.from(toStates, after.revision()),
        clock.instant());
  }
}
