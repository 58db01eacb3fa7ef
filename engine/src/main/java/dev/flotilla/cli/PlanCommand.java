package dev.flotilla.cli;

import dev.flotilla.engine.RevisionPlanner;
import dev.flotilla.fleet.FleetValidationException;
import dev.flotilla.git.FleetRepoSource;
import dev.flotilla.git.GitSyncException;
import dev.flotilla.plan.Plan;
import dev.flotilla.plan.PlanFormat;
import dev.flotilla.render.FleetRenderer;
import dev.flotilla.render.RenderException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", description =
    "Says what moving the fleet repo from one revision to another changes: for each app whose output " +
    "changes at some site, the waves of its policy and the objects added, changed and removed per site.")
final class PlanCommand implements Callable<Integer> {
  @Mixin RepoOptions repo;
  @Mixin RenderOptions render;

  @Option(names = "--from", required = true, paramLabel = "REV", description = "The revision running now.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "REV", description = "The revision to move to.")
  String to;

  @Option(names = "--format", paramLabel = "FORMAT", description =
      "text (default, every change whole), markdown (for a pull request comment: a summary, changes grouped and folded, " +
      "long diffs cut, at most 60,000 characters) or json (every site, and the changes grouped).")
  String format = "text";

  @Option(names = "--site", paramLabel = "SITE", description =
      "Only this site's change (the waves are still summed up whole): where the markdown cut a long diff, this prints it all.")
  String site;

  @Override
  public Integer call() throws GitSyncException, FleetValidationException, RenderException {
    PlanFormat planFormat;
    try {
      planFormat = PlanFormat.parse(format);
    } catch (IllegalArgumentException e) {
      System.err.printf("flotilla: --format: expected text, markdown or json, got '%s'%n", format);
      return ExitCodes.INVALID;
    }
    try (FleetRepoSource source = repo.open(); FleetRenderer renderer = render.renderer(repo.workspace().cacheDir())) {
      Plan plan = new RevisionPlanner(source, renderer, java.time.Clock.systemUTC()).plan(from, to);
      if (site != null) plan = plan.onlySite(site);
      System.out.print(planFormat.write(plan));
      return ExitCodes.OK;
    }
  }
}
